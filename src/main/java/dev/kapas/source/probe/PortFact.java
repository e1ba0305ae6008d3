package dev.kapas.source.probe;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one TCP port of a named host answered to read-only, credential-free requests.
 *
 * @param host the host as the user named it (an address from a CIDR block is written out)
 * @param port the TCP port
 * @param state open, closed (refused) or filtered (no answer, unreachable)
 * @param reason why it is closed or filtered; empty when open
 * @param transport TLS, plain, or none (closed, or the service spoke first such as SSH)
 * @param clientCertRequired the TLS server refused to go on without a client certificate
 * @param certificates the leaf certificate a TLS server presented (empty when none)
 * @param banner what the server sent before kapas said anything (an SSH version line), printable
 * @param answers the HTTP requests made and what came back, in order
 * @param component what answered
 * @param identifiedBy how {@code component} was told: the decisive answer, or the port number
 */
public record PortFact(String host, int port, State state, String reason, Transport transport,
    boolean clientCertRequired, List<CertInfo> certificates, String banner, List<HttpAnswer> answers,
    Component component, String identifiedBy) implements ReportedFact {

  /** The TCP outcome. */
  public enum State { OPEN, CLOSED, FILTERED }

  /** How the open port spoke. */
  public enum Transport { NONE, PLAIN, TLS }

  public PortFact {
    certificates = List.copyOf(certificates);
    answers = List.copyOf(answers);
  }

  /**
   * An open port and what it answered; the component is identified from the answers (see
   * {@code Identify}), falling back to the port number.
   */
  public static PortFact open(String host, int port, Transport transport, boolean clientCertRequired,
      List<CertInfo> certificates, String banner, List<HttpAnswer> answers) {
    Identify.Result id = Identify.of(port, banner, answers, clientCertRequired, certificates);
    return new PortFact(host, port, State.OPEN, "", transport, clientCertRequired, certificates, banner, answers,
        id.component(), id.by());
  }

  public static PortFact notOpen(String host, int port, State state, String reason) {
    return new PortFact(host, port, state, reason, Transport.NONE, false, List.of(), "", List.of(),
        Ports.usual(port), "port " + port);
  }

  public boolean open() {
    return state == State.OPEN;
  }

  public String hostPort() {
    return Targets.hostPort(host, port);
  }

  /** The answer to {@code path} ({@code /version}), if it was asked. */
  public Optional<HttpAnswer> answer(String path) {
    return answers.stream().filter(a -> a.path().equals(path)).findFirst();
  }

  /** The first answer with status 200 among {@code paths}, in that order. */
  public Optional<HttpAnswer> firstOk(String... paths) {
    for (String p : paths) {
      Optional<HttpAnswer> a = answer(p).filter(HttpAnswer::ok);
      if (a.isPresent()) {
        return a;
      }
    }
    return Optional.empty();
  }

  /** The first answer that is HTTP at all, for evidence that something web-like answered. */
  public Optional<HttpAnswer> firstHttp() {
    return answers.stream().filter(a -> a.status() > 0).findFirst();
  }

  /** One line for a finding: what answered and the evidence of it. */
  public String describe() {
    StringBuilder sb = new StringBuilder(component.label()).append(" on ").append(hostPort());
    sb.append(transport == Transport.TLS ? " (TLS" + (clientCertRequired ? ", client certificate required" : "") + ")"
        : transport == Transport.PLAIN ? " (plain HTTP)" : "");
    sb.append(", identified by ").append(identifiedBy);
    return sb.toString();
  }

  @Override
  public String reportSection() {
    return "probes";
  }

  @Override
  public String reportNoun() {
    return "port";
  }

  @Override
  public String reportHost() {
    return host;
  }

  /**
   * {@code host, port, state, reason, tls, transport, clientCertRequired, component,
   * identifiedBy, banner, certificate?, evidence[]}: what answered and the request and status
   * line of every answer (never a body).
   */
  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", host);
    m.put("port", port);
    m.put("state", state.name().toLowerCase(Locale.ROOT));
    m.put("reason", reason);
    m.put("tls", transport == Transport.TLS);
    m.put("transport", transport.name().toLowerCase(Locale.ROOT));
    m.put("clientCertRequired", clientCertRequired);
    m.put("component", open() ? component.label() : "");
    m.put("identifiedBy", open() ? identifiedBy : "");
    m.put("banner", banner);
    if (!certificates.isEmpty()) {
      m.put("certificate", certificates.get(0).reportFields());
    }
    m.put("evidence", answers.stream().map(HttpAnswer::evidence).toList());
    return m;
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Port", "", hostPort());
  }

  @Override
  public Origin origin() {
    return new Origin(hostPort(), 0, 0, 0);
  }
}

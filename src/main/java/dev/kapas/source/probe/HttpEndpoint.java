package dev.kapas.source.probe;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a web endpoint the user named ({@code kapas probe --http URL}) answered to one plain
 * {@code GET}, and for HTTPS what its TLS offered.
 *
 * @param url the URL as asked
 * @param host the host part, for the certificate name check
 * @param https whether the URL is HTTPS
 * @param answer the answer to {@code GET url}
 * @param certificates the leaf certificate presented (empty for HTTP)
 * @param protocols each TLS version tried and whether the server accepted it
 */
public record HttpEndpoint(String url, String host, boolean https, HttpAnswer answer, List<CertInfo> certificates,
    List<TlsVersion> protocols) implements ReportedFact {

  public HttpEndpoint {
    certificates = List.copyOf(certificates);
    protocols = List.copyOf(protocols);
  }

  /**
   * One protocol version tried.
   *
   * @param name {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}
   * @param accepted the server completed a handshake (or answered a ClientHello) at this version
   * @param how how it was tried, or why it could not be
   */
  public record TlsVersion(String name, Outcome accepted, String how) {}

  /** Whether a version was accepted, refused, or could not be tried from here. */
  public enum Outcome { ACCEPTED, REFUSED, UNTESTED }

  @Override
  public String reportSection() {
    return "endpoints";
  }

  @Override
  public String reportNoun() {
    return "URL";
  }

  /** {@code url, evidence, server?, tls: [{version, accepted, how}], certificate?}; never the body. */
  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("evidence", answer.evidence());
    answer.header("server").ifPresent(v -> m.put("server", v));
    if (https) {
      m.put("tls", protocols.stream().map(v -> {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("version", v.name());
        t.put("outcome", v.accepted().name().toLowerCase(Locale.ROOT));
        t.put("how", v.how());
        return t;
      }).toList());
    }
    if (!certificates.isEmpty()) {
      m.put("certificate", certificates.get(0).reportFields());
    }
    return m;
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "URL", "", url);
  }

  @Override
  public Origin origin() {
    return new Origin(url, 0, 0, 0);
  }
}

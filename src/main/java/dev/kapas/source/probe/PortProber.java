package dev.kapas.source.probe;

import dev.kapas.source.probe.PortFact.State;
import dev.kapas.source.probe.PortFact.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Probes one port, read-only and without credentials: TCP connect; a banner if the service
 * speaks first (SSH); else a TLS handshake (falling back to plain HTTP), then {@code GET} of the
 * paths that tell Kubernetes components apart, and for etcd a key count. Never a write, never a
 * login attempt, never a second host.
 */
final class PortProber {
  /** The paths asked of every HTTP(S) port, in this order. */
  static final List<String> PATHS = List.of("/version", "/api/v1/namespaces", "/pods", "/healthz", "/metrics");
  /**
   * etcd v3 through its JSON gateway: how many keys there are (count_only, so no value is ever
   * read or held); key "\0" with range_end "\0" is the whole keyspace.
   */
  static final String ETCD_RANGE = "/v3/kv/range";
  static final String ETCD_RANGE_BODY = "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}";
  private static final int BANNER_WAIT_MS = 300;

  private final Wire wire;

  PortProber(Wire wire) {
    this.wire = wire;
  }

  PortFact probe(String host, int port) {
    Wire.Opened first = wire.connect(host, port);
    if (first.state() != Wire.Connect.OPEN) {
      return PortFact.notOpen(host, port, first.state() == Wire.Connect.CLOSED ? State.CLOSED : State.FILTERED,
          first.reason());
    }
    String banner = banner(first.socket());
    if (!banner.isEmpty()) {
      return done(host, port, Transport.NONE, false, List.of(), banner, List.of());
    }
    Tls tls = tls(host, port);
    List<HttpAnswer> answers = new ArrayList<>();
    if (tls.ok()) {
      boolean refused = false;
      for (String path : PATHS) {
        HttpAnswer a = request(host, port, true, "GET", path, "");
        answers.add(a);
        // TLS 1.3 servers check the client certificate after the handshake: the first request fails
        if (a.status() == 0 && tls.askedForCert()) {
          refused = true;
          break;
        }
      }
      if (!refused) {
        etcdRead(host, port, true, answers);
      }
      return done(host, port, Transport.TLS, refused, tls.certificates(), "", answers);
    }
    if (tls.askedForCert()) {
      return done(host, port, Transport.TLS, true, tls.certificates(), "", answers);
    }
    HttpAnswer version = request(host, port, false, "GET", PATHS.get(0), "");
    answers.add(version);
    if (version.status() > 0) {
      for (String path : PATHS.subList(1, PATHS.size())) {
        answers.add(request(host, port, false, "GET", path, ""));
      }
      etcdRead(host, port, false, answers);
    }
    return done(host, port, answers.stream().anyMatch(a -> a.status() > 0) ? Transport.PLAIN : Transport.NONE,
        false, List.of(), "", answers);
  }

  private void etcdRead(String host, int port, boolean tls, List<HttpAnswer> answers) {
    if (Identify.saysEtcd(answers)) {
      answers.add(request(host, port, tls, "POST", ETCD_RANGE, ETCD_RANGE_BODY));
    }
  }

  private PortFact done(String host, int port, Transport transport, boolean clientCertRequired, List<CertInfo> certs,
      String banner, List<HttpAnswer> answers) {
    return PortFact.open(host, port, transport, clientCertRequired, certs, banner, answers);
  }

  /** What a server-first service (SSH, SMTP, ...) says on connect; empty when it waits for us. */
  private static String banner(Socket s) {
    try (s) {
      s.setSoTimeout(BANNER_WAIT_MS);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256];
      int n = in.read(buf);
      if (n <= 0) {
        return "";
      }
      String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      int eol = text.indexOf('\n');
      return Wire.printable((eol < 0 ? text : text.substring(0, eol)).trim());
    } catch (SocketTimeoutException e) {
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The outcome of a TLS handshake attempt. */
  private record Tls(boolean ok, boolean askedForCert, List<CertInfo> certificates) {}

  private Tls tls(String host, int port) {
    Wire.Opened o = wire.connect(host, port);
    if (o.state() != Wire.Connect.OPEN) {
      return new Tls(false, false, List.of());
    }
    Optional<SSLSocket> ssl = Optional.empty();
    try {
      ssl = Optional.of(wire.handshake(o.socket(), host, port));
      return new Tls(true, wire.serverAskedForClientCert(ssl.get()), wire.certificates(ssl.get()));
    } catch (SSLException e) {
      // TLS 1.2 servers that require a client certificate end the handshake with an alert
      String why = Wire.tlsReason(e);
      boolean certAlert = why.contains("bad_certificate") || why.contains("certificate_required");
      return new Tls(false, certAlert, List.of());
    } catch (IOException e) {
      return new Tls(false, false, List.of());
    } finally {
      ssl.ifPresent(Wire::close);
      Wire.close(o.socket());
    }
  }

  private HttpAnswer request(String host, int port, boolean tls, String method, String path, String body) {
    String url = (tls ? "https://" : "http://") + Targets.hostPort(host, port) + path;
    Wire.Opened o = wire.connect(host, port);
    if (o.state() != Wire.Connect.OPEN) {
      return HttpAnswer.failed(method, url, o.reason());
    }
    Socket s = o.socket();
    try {
      if (tls) {
        s = wire.handshake(s, host, port);
      }
      return wire.exchange(s, method, url, Targets.hostPort(host, port), path, body);
    } catch (SSLException e) {
      return HttpAnswer.failed(method, url, "TLS: " + Wire.tlsReason(e));
    } catch (IOException e) {
      return HttpAnswer.failed(method, url, "connection failed: " + e.getMessage());
    } finally {
      Wire.close(s);
      Wire.close(o.socket());
    }
  }
}

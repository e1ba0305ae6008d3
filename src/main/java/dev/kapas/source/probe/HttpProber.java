package dev.kapas.source.probe;

import dev.kapas.model.Diagnostic;
import dev.kapas.source.probe.HttpEndpoint.Outcome;
import dev.kapas.source.probe.HttpEndpoint.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The DAST baseline's collector: one {@code GET} of each URL the user named, and for HTTPS the
 * certificate and the protocol versions offered. TLS 1.2 and 1.3 are tried with the JDK; TLS 1.0
 * and 1.1 with a hand-written ClientHello, because the JDK disables them (jdk.tls.disabledAlgorithms)
 * and re-enabling them would change a JVM-wide setting: the server's ServerHello (or alert) is
 * the answer, and the connection is dropped right after it.
 */
public final class HttpProber {
  private final Wire wire;

  public HttpProber(Duration timeout) {
    this(timeout, List.of());
  }

  /** {@code trusted}: CA certificates the user trusts besides the JDK's default ones ({@code --cacert}). */
  public HttpProber(Duration timeout, List<X509Certificate> trusted) {
    this.wire = new Wire(timeout, Map.of(), trusted);
  }

  /** The endpoint's facts, or an input error (unparsable or unreachable URL). */
  public record Result(List<HttpEndpoint> endpoints, List<Diagnostic> errors) {}

  public Result probe(List<String> urls) {
    List<HttpEndpoint> out = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    for (String url : urls) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        errors.add(Diagnostic.ofFile(url, "not a URL: " + e.getReason()));
        continue;
      }
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        errors.add(Diagnostic.ofFile(url, "--http takes http:// or https:// URLs with a host"));
        continue;
      }
      boolean https = scheme.equals("https");
      String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
      int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
      String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      probeOne(url, host, port, https, path, out, errors);
    }
    return new Result(out, errors);
  }

  private void probeOne(String url, String host, int port, boolean https, String path, List<HttpEndpoint> out,
      List<Diagnostic> errors) {
    Wire.Opened o = wire.connect(host, port);
    if (o.state() != Wire.Connect.OPEN) {
      errors.add(Diagnostic.ofFile(url, "cannot connect to " + Targets.hostPort(host, port) + ": " + o.reason()));
      return;
    }
    Socket s = o.socket();
    List<CertInfo> certs = List.of();
    try {
      if (https) {
        SSLSocket ssl = wire.handshake(s, host, port);
        s = ssl;
        certs = wire.certificates(ssl);
      }
      HttpAnswer answer = wire.exchange(s, "GET", url, hostHeader(host, port, https), path, "");
      if (answer.status() == 0) {
        errors.add(Diagnostic.ofFile(url, "no HTTP answer: " + answer.statusLine()));
        return;
      }
      out.add(new HttpEndpoint(url, host, https, answer, certs, https ? versions(host, port) : List.of()));
    } catch (SSLException e) {
      errors.add(Diagnostic.ofFile(url, "TLS handshake failed: " + Wire.tlsReason(e)));
    } catch (IOException e) {
      errors.add(Diagnostic.ofFile(url, "connection failed: " + e.getMessage()));
    } finally {
      Wire.close(s);
      Wire.close(o.socket());
    }
  }

  private static String hostHeader(String host, int port, boolean https) {
    return (https && port == 443) || (!https && port == 80) ? (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        : Targets.hostPort(host, port);
  }

  private List<TlsVersion> versions(String host, int port) {
    List<TlsVersion> out = new ArrayList<>();
    out.add(legacy(host, port, "TLSv1", 0x0301));
    out.add(legacy(host, port, "TLSv1.1", 0x0302));
    out.add(modern(host, port, "TLSv1.2"));
    out.add(modern(host, port, "TLSv1.3"));
    return out;
  }

  private TlsVersion modern(String host, int port, String version) {
    Wire.Opened o = wire.connect(host, port);
    if (o.state() != Wire.Connect.OPEN) {
      return new TlsVersion(version, Outcome.UNTESTED, "could not connect again: " + o.reason());
    }
    try (SSLSocket s = wire.handshake(o.socket(), host, port, version)) {
      return new TlsVersion(version, s.getSession().getProtocol().equals(version) ? Outcome.ACCEPTED : Outcome.REFUSED,
          "JDK handshake");
    } catch (SSLException e) {
      return new TlsVersion(version, Outcome.REFUSED, "JDK handshake: " + Wire.tlsReason(e));
    } catch (IOException e) {
      return new TlsVersion(version, Outcome.REFUSED, "JDK handshake: " + e.getMessage());
    } finally {
      Wire.close(o.socket());
    }
  }

  private TlsVersion legacy(String host, int port, String name, int version) {
    Wire.Opened o = wire.connect(host, port);
    if (o.state() != Wire.Connect.OPEN) {
      return new TlsVersion(name, Outcome.UNTESTED, "could not connect again: " + o.reason());
    }
    try (Socket s = o.socket()) {
      s.getOutputStream().write(clientHello(Targets.isIpLiteral(host) ? "" : host, version));
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int type = in.readUnsignedByte();
      in.readUnsignedShort();
      int length = in.readUnsignedShort();
      if (type == 0x15) {
        return new TlsVersion(name, Outcome.REFUSED, "ClientHello answered with an alert");
      }
      if (type != 0x16 || length < 6) {
        return new TlsVersion(name, Outcome.REFUSED, "ClientHello answered with record type " + type);
      }
      int handshakeType = in.readUnsignedByte();
      in.skipNBytes(3);
      int serverVersion = in.readUnsignedShort();
      boolean accepted = handshakeType == 2 && serverVersion == version;
      return new TlsVersion(name, accepted ? Outcome.ACCEPTED : Outcome.REFUSED,
          accepted ? "ServerHello at " + name : String.format("ServerHello at version 0x%04x", serverVersion));
    } catch (IOException e) {
      return new TlsVersion(name, Outcome.REFUSED, "connection ended after the ClientHello");
    }
  }

  /**
   * A TLS 1.0/1.1 ClientHello with the cipher suites servers of that era offered (ECDHE and RSA
   * key exchange with AES-CBC and 3DES) and the extensions they need (SNI, curves, point formats,
   * secure renegotiation).
   */
  static byte[] clientHello(String sni, int version) {
    int[] suites = {0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a};
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (!sni.isEmpty()) {
      byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
      u16(ext, 0x0000);
      u16(ext, name.length + 5);
      u16(ext, name.length + 3);
      ext.write(0);
      u16(ext, name.length);
      ext.writeBytes(name);
    }
    u16(ext, 0x000a); // supported_groups: x25519, secp256r1, secp384r1
    u16(ext, 8);
    u16(ext, 6);
    u16(ext, 0x001d);
    u16(ext, 0x0017);
    u16(ext, 0x0018);
    u16(ext, 0x000b); // ec_point_formats: uncompressed
    u16(ext, 2);
    ext.write(1);
    ext.write(0);
    u16(ext, 0xff01); // renegotiation_info, empty
    u16(ext, 1);
    ext.write(0);

    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    body.writeBytes(random);
    body.write(0); // no session id
    u16(body, suites.length * 2);
    Arrays.stream(suites).forEach(c -> u16(body, c));
    body.write(1);
    body.write(0); // null compression
    u16(body, ext.size());
    body.writeBytes(ext.toByteArray());

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16);
    u16(record, 0x0301);
    u16(record, body.size() + 4);
    record.write(0x01);
    record.write(0);
    u16(record, body.size());
    record.writeBytes(body.toByteArray());
    return record.toByteArray();
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xff);
    out.write(v & 0xff);
  }
}

package dev.kapas.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Real serving certificates made by openssl for tests, and clients that trust them. */
public final class Tls {
  private Tls() {}

  /**
   * A self-signed certificate for 127.0.0.1 with common name {@code cn} into {@code cert} and its key
   * into {@code key}; {@code keyKind}: rsa-pkcs8, rsa-pkcs1 or ec (SEC 1).
   */
  public static void selfSigned(Path cert, Path key, String cn, String keyKind) throws Exception {
    TestServer.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path dir = Files.createTempDirectory(cert.getParent(), "tls");
    Path k = dir.resolve("key.pem");
    Path c = dir.resolve("cert.pem");
    switch (keyKind) {
      case "rsa-pkcs8" -> run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", k.toString());
      case "rsa-pkcs1" -> run("openssl", "genrsa", "-traditional", "-out", k.toString(), "2048");
      case "ec" -> run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", k.toString());
      default -> throw new IllegalArgumentException(keyKind);
    }
    run("openssl", "req", "-x509", "-key", k.toString(), "-out", c.toString(), "-days", "2", "-subj", "/CN=" + cn,
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    // written elsewhere and moved in, as the kubelet swaps a mounted Secret
    Files.move(k, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(c, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.delete(dir);
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
    return out;
  }

  /** An SSL context that trusts only the certificates in {@code pem}. */
  static SSLContext trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public static HttpClient client(Path trustedPem) throws Exception {
    return HttpClient.newBuilder().sslContext(trusting(trustedPem)).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The common name the server at {@code port} presents in a new handshake. */
  static String servedName(int port, SSLContext trust) throws IOException {
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }
}

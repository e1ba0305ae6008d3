package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kapas.testing.LocalRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas image} against a real registry: Debian's docker-registry (distribution 2.8) started
 * here on 127.0.0.1 by {@link LocalRegistry} with a temporary config, over plain HTTP, TLS with a CA made here by openssl,
 * and htpasswd basic auth. The image is an OCI layout written by hand (real tar + gzip of this
 * machine's /var/lib/dpkg/status) and pushed with skopeo. Retries are checked against a small
 * JDK HTTP server that answers 429 and 503, since a real registry cannot be made to.
 */
class ImageRegistryTest {
  @TempDir
  Path tmp;
  private LocalRegistry registry;

  @AfterEach
  void stop() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  /** Starts the registry with {@code http} and {@code auth} config sections; returns host:port. */
  private String start(String http, String auth) throws Exception {
    registry = LocalRegistry.start(tmp.resolve("registry"), http, auth);
    return registry.host();
  }

  /** Writes the test image as an OCI layout and pushes it with skopeo; {@code dest} are more skopeo flags. */
  private void push(String... dest) throws Exception {
    Path layout = tmp.resolve("layout");
    dev.kapas.source.image.TestImages.writeSample(layout);
    registry.push(layout, "team/app:1", dest);
  }

  @Test
  void plainHttpRegistry() throws Exception {
    String host = start("", "");
    push();
    CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host,
        host + "/team/app:1", "-f", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("\"reference\" : \"" + host + "/team/app:1\"", "\"os\" : \"debian 12\"",
        "container.image-runs-as-root", "code.hardcoded-secret", "container.image-ssh-server");
    assertThat(r.out()).doesNotContain("AKIAQ4BXR7ZWJ3KL9PT2");

    CliRun missing = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host,
        host + "/team/nothing:1", tmp.resolve("layout").toString());
    assertThat(missing.exitCode()).as("one image unreadable, the other scanned").isEqualTo(3);
    assertThat(missing.out()).contains(host + "/team/nothing:1: manifest 1 of " + host + "/team/nothing:1: not found (HTTP 404)")
        .contains("container.image-runs-as-root");
  }

  @Test
  void htpasswdBasicAuthWithPasswordStdinAndDockerConfig() throws Exception {
    LocalRegistry.require();
    String hash = LocalRegistry.run("htpasswd", "-Bbn", "ci", "s3cret-pass").strip();
    Files.writeString(tmp.resolve("htpasswd"), hash + "\n");
    String host = start("", "auth:\n  htpasswd:\n    realm: kapas-test\n    path: " + tmp.resolve("htpasswd") + "\n");
    push("--dest-creds", "ci:s3cret-pass");
    String image = host + "/team/app:1";
    CliRun anonymous = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host, image);
    assertThat(anonymous.exitCode()).isEqualTo(3);
    assertThat(anonymous.out()).contains("the registry asks for a login (HTTP 401, Basic)");

    CliRun withStdin = CliRun.withStdin(tmp, "s3cret-pass\n", "image", "--insecure-registry", host, "--username", "ci",
        "--password-stdin", image, "--fail-on", "none");
    assertThat(withStdin.exitCode()).as(withStdin.out() + withStdin.err()).isZero();
    assertThat(withStdin.out()).contains("container.image-runs-as-root").doesNotContain("s3cret-pass");

    CliRun wrong = CliRun.withStdin(tmp, "wrong\n", "image", "--insecure-registry", host, "--username", "ci",
        "--password-stdin", image);
    assertThat(wrong.exitCode()).isEqualTo(3);
    assertThat(wrong.out()).contains("unauthorized (HTTP 401): the registry refused the credentials");

    Path docker = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"" + host + "\":{\"auth\":\""
        + Base64.getEncoder().encodeToString("ci:s3cret-pass".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    CliRun fromConfig = CliRun.run(false, Map.of("DOCKER_CONFIG", docker.toString()), "image", "--insecure-registry",
        host, image, "--fail-on", "none");
    assertThat(fromConfig.exitCode()).as(fromConfig.out()).isZero();
  }

  @Test
  void tlsWithAPrivateCa() throws Exception {
    LocalRegistry.require();
    Path ca = tmp.resolve("ca.pem");
    LocalRegistry.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kapas test CA",
        "-keyout", tmp.resolve("ca.key").toString(), "-out", ca.toString());
    LocalRegistry.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
        tmp.resolve("server.key").toString(), "-out", tmp.resolve("server.csr").toString());
    Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    LocalRegistry.run("openssl", "x509", "-req", "-in", tmp.resolve("server.csr").toString(), "-CA", ca.toString(), "-CAkey",
        tmp.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2", "-extfile", tmp.resolve("san.ext").toString(),
        "-out", tmp.resolve("server.pem").toString());
    String host = start("  tls:\n    certificate: " + tmp.resolve("server.pem") + "\n    key: " + tmp.resolve("server.key")
        + "\n", "");
    Path certDir = Files.createDirectories(tmp.resolve("certs"));
    Files.copy(ca, certDir.resolve("ca.crt"));
    push("--dest-cert-dir", certDir.toString());
    String image = host + "/team/app:1";
    CliRun untrusted = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", image);
    assertThat(untrusted.exitCode()).isEqualTo(3);
    assertThat(untrusted.out()).contains("for a private CA give --ca-file");
    CliRun trusted = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--ca-file", ca.toString(), image,
        "--fail-on", "none");
    assertThat(trusted.exitCode()).as(trusted.out()).isZero();
    assertThat(trusted.out()).contains("container.image-runs-as-root");
  }

  /**
   * Token auth as Docker Hub does it. The token issuer is this test's own small HTTP server: it
   * checks the login and signs the JWT (RS256, certificate in the x5c header) that the real
   * registry verifies against the issuer's certificate (its rootcertbundle).
   */
  @Test
  void bearerTokenChallenge() throws Exception {
    LocalRegistry.require();
    Path cert = tmp.resolve("issuer.pem");
    Path key = tmp.resolve("issuer.key");
    LocalRegistry.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kapas token issuer",
        "-keyout", key.toString(), "-out", cert.toString());
    java.security.PrivateKey signing = java.security.KeyFactory.getInstance("RSA").generatePrivate(
        new java.security.spec.PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(Files.readString(key)
            .replaceAll("-----[A-Z ]+-----", ""))));
    String der = Base64.getEncoder().encodeToString(java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(cert)).getEncoded());
    AtomicInteger tokensIssued = new AtomicInteger();
    HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.createContext("/token", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      boolean known = ("Basic " + Base64.getEncoder().encodeToString("ci:tok-pass".getBytes(StandardCharsets.UTF_8)))
          .equals(auth);
      if (!known) {
        ex.sendResponseHeaders(401, -1);
        ex.close();
        return;
      }
      StringBuilder access = new StringBuilder();
      for (String param : ex.getRequestURI().getQuery().split("&")) {
        if (param.startsWith("scope=")) {
          String[] scope = java.net.URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8).split(":");
          access.append(access.length() == 0 ? "" : ",").append("{\"type\":\"").append(scope[0])
              .append("\",\"name\":\"").append(scope[1]).append("\",\"actions\":[\"pull\",\"push\"]}");
        }
      }
      long now = System.currentTimeMillis() / 1000;
      String header = b64("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + der + "\"]}");
      String claims = b64("{\"iss\":\"kapas-test-issuer\",\"sub\":\"ci\",\"aud\":\"kapas-test\",\"exp\":"
          + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\"" + System.nanoTime()
          + "\",\"access\":[" + access + "]}");
      String jwt;
      try {
        java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
        rs256.initSign(signing);
        rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        jwt = header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
      tokensIssued.incrementAndGet();
      byte[] body = ("{\"token\":\"" + jwt + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    issuer.start();
    try {
      String realm = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/token";
      String host = start("", "auth:\n  token:\n    realm: " + realm + "\n    service: kapas-test\n    issuer: "
          + "kapas-test-issuer\n    rootcertbundle: " + cert + "\n");
      push("--dest-creds", "ci:tok-pass");
      String image = host + "/team/app:1";
      int beforeKapas = tokensIssued.get();
      CliRun ok = CliRun.withStdin(tmp, "tok-pass\n", "image", "--insecure-registry", host, "--username", "ci",
          "--password-stdin", image, "--fail-on", "none");
      assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
      assertThat(ok.out()).contains("container.image-runs-as-root");
      assertThat(tokensIssued.get()).as("one token for the repository, reused for every blob").isEqualTo(beforeKapas + 1);
      CliRun anonymous = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host, image);
      assertThat(anonymous.exitCode()).isEqualTo(3);
      assertThat(anonymous.out()).contains("refused anonymous access (HTTP 401)");
    } finally {
      issuer.stop(0);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void throttlingAndServerErrorsAreRetriedABoundedNumberOfTimes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/", ex -> {
      int n = calls.incrementAndGet();
      int status = ex.getRequestURI().getPath().contains("flaky") ? (n == 1 ? 429 : n == 2 ? 503 : 404) : 500;
      if (status == 429) {
        ex.getResponseHeaders().add("Retry-After", "0");
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    try {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      CliRun flaky = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host,
          host + "/flaky:1");
      assertThat(flaky.exitCode()).isEqualTo(3);
      assertThat(flaky.out()).contains("not found (HTTP 404)");
      assertThat(calls.get()).as("429, then 503, then the answer").isEqualTo(3);
      calls.set(0);
      CliRun down = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", host,
          host + "/down:1");
      assertThat(down.exitCode()).isEqualTo(3);
      assertThat(down.out()).contains("answered HTTP 500 4 times; gave up");
      assertThat(calls.get()).isEqualTo(4);
    } finally {
      server.stop(0);
    }
  }
}

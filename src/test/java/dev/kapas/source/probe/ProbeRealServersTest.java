package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.cli.CliRun;
import dev.kapas.source.Progress;
import dev.kapas.source.probe.TestServers.Pki;
import dev.kapas.source.probe.TestServers.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against real servers on 127.0.0.1, started here on free ports: Debian's etcd (without
 * and with client-certificate authentication), OpenSSH's sshd and nginx, plus a closed port. The
 * collector's facts are checked, and the rules end to end through {@code kapas probe}. Servers the
 * machine cannot install are skipped with the reason (see {@link TestServers}).
 */
class ProbeRealServersTest {
  @TempDir
  Path tmp;

  private static List<PortFact> probe(List<Integer> ports) throws Exception {
    return new ProbeSource(Duration.ofSeconds(2), 8)
        .run(ProbeSource.Plan.of(List.of("127.0.0.1"), ports, 100), Progress.NONE);
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of("probe", "127.0.0.1", "--nodeports", "none"));
    all.addAll(List.of(args));
    return CliRun.run(false, Map.of(), all.toArray(String[]::new));
  }

  private Server etcd(Path dir, int client, int peer, boolean tls, Pki pki) throws Exception {
    Path etcd = TestServers.require("/usr/bin/etcd", "etcd-server");
    String scheme = tls ? "https" : "http";
    List<String> cmd = new ArrayList<>(List.of(etcd.toString(), "--name", "t", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", scheme + "://127.0.0.1:" + client, "--advertise-client-urls", scheme + "://127.0.0.1:" + client,
        "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-cluster", "t=http://127.0.0.1:" + peer));
    if (tls) {
      cmd.addAll(List.of("--cert-file", pki.file("etcd.crt").toString(), "--key-file", pki.file("etcd.key").toString(),
          "--client-cert-auth", "--trusted-ca-file", pki.file("ca.crt").toString()));
    }
    Files.createDirectories(dir);
    return Server.start(dir, List.of(client, peer), cmd);
  }

  @Test
  void etcdWithoutClientCertificatesAnswersVersionAndAKeyCount() throws Exception {
    int client = TestServers.freePort();
    try (Server s = etcd(tmp.resolve("etcd"), client, TestServers.freePort(), false, null)) {
      // test setup writes a key so the count is not zero (proto3 JSON leaves a zero count out)
      java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + client + "/v3/kv/put"))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"key\":\"a2FwYXM=\",\"value\":\"c2VjcmV0\"}"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      PortFact fact = probe(List.of(client)).get(0);
      assertThat(fact.state()).isEqualTo(PortFact.State.OPEN);
      assertThat(fact.transport()).isEqualTo(PortFact.Transport.PLAIN);
      assertThat(fact.component()).isEqualTo(Component.ETCD);
      assertThat(fact.identifiedBy()).contains("/version");
      assertThat(fact.answer("/v3/kv/range")).get()
          .satisfies(a -> assertThat(a.statusLine()).isEqualTo("HTTP/1.1 200 OK"))
          .satisfies(a -> assertThat(a.body()).contains("\"count\":\"1\"").doesNotContain("\"kvs\"", "c2VjcmV0"));

      CliRun run = cli("--ports", String.valueOf(client), "-f", "json");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.out()).contains("\"cloud.etcd-unauthenticated\"", "\"cloud.etcd-reachable\"")
          .contains("POST http://127.0.0.1:" + client + "/v3/kv/range -> HTTP/1.1 200 OK")
          // the port fact in "probes": what answered and how it was told, never a body
          .contains("\"component\" : \"etcd\"", "\"identifiedBy\" : \"GET /version naming etcdserver\"")
          .doesNotContain("etcdserver\\\"");
    }
  }

  @Test
  void etcdWithClientCertificateAuthRefusesTheProbe() throws Exception {
    Pki pki = Pki.create(tmp.resolve("pki"));
    pki.issue("etcd", "etcd", "IP:127.0.0.1", false);
    int client = TestServers.freePort();
    try (Server s = etcd(tmp.resolve("etcd"), client, TestServers.freePort(), true, pki)) {
      PortFact fact = probe(List.of(client)).get(0);
      assertThat(fact.transport()).isEqualTo(PortFact.Transport.TLS);
      assertThat(fact.clientCertRequired()).as(fact.toString()).isTrue();
      assertThat(fact.certificates()).singleElement().satisfies(c -> assertThat(c.subject()).contains("CN=etcd"));
      assertThat(fact.answers()).noneMatch(HttpAnswer::ok);
    }
  }

  @Test
  void etcdWithClientCertificateAuthOnItsOwnPortIsReachableButNotUnauthenticated() throws Exception {
    assumeTrue(free(2379) && free(2380), "127.0.0.1:2379 or 2380 is in use here; the port-based etcd check needs them");
    Pki pki = Pki.create(tmp.resolve("pki"));
    pki.issue("etcd", "etcd", "IP:127.0.0.1", false);
    try (Server s = etcd(tmp.resolve("etcd"), 2379, 2380, true, pki)) {
      CliRun run = cli("--ports", "2379", "-f", "json");
      assertThat(run.out()).contains("\"cloud.etcd-reachable\"").contains("client certificate required")
          .doesNotContain("\"ruleId\" : \"cloud.etcd-unauthenticated\"");
      assertThat(run.exitCode()).isEqualTo(1);
    }
  }

  @Test
  void sshdAnswersWithItsBanner() throws Exception {
    Path sshd = TestServers.require("/usr/sbin/sshd", "openssh-server");
    TestServers.require("/usr/bin/ssh-keygen", "openssh-client");
    Path dir = tmp.resolve("ssh");
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege-separation directory
    TestServers.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
    int port = TestServers.freePort();
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
        "PidFile " + dir.resolve("sshd.pid"), "UsePAM no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PermitRootLogin no", "AuthorizedKeysFile none", ""));
    try (Server s = Server.start(dir, List.of(port),
        List.of(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString()))) {
      PortFact fact = probe(List.of(port)).get(0);
      assertThat(fact.component()).isEqualTo(Component.SSH);
      assertThat(fact.banner()).startsWith("SSH-2.0-OpenSSH_");
      assertThat(fact.answers()).isEmpty();

      CliRun run = cli("--ports", String.valueOf(port));
      assertThat(run.out()).contains("cloud.ssh-reachable").contains("banner `SSH-2.0-OpenSSH_");
      assertThat(run.exitCode()).isEqualTo(0); // medium is below the default --fail-on high
    }
  }

  @Test
  void aClosedPortIsClosedAndNothingFires() throws Exception {
    int port = TestServers.freePort();
    PortFact fact = probe(List.of(port)).get(0);
    assertThat(fact.state()).isEqualTo(PortFact.State.CLOSED);
    assertThat(fact.reason()).isEqualTo("connection refused");
    CliRun run = cli("--ports", String.valueOf(port), "--fail-on", "info");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("1 host(s) x 1 port(s): 0 open");
  }

  @Test
  void nginxWithAndWithoutSecurityHeaders() throws Exception {
    Path nginx = TestServers.require("/usr/sbin/nginx", "nginx");
    Pki pki = Pki.create(tmp.resolve("pki"));
    pki.issue("good", "127.0.0.1", "IP:127.0.0.1", false);
    pki.selfSigned("self", "kapas-test.invalid");
    Path dir = tmp.resolve("nginx");
    Files.createDirectories(dir.resolve("tmp"));
    int hardened = TestServers.freePort();
    int weak = TestServers.freePort();
    int plain = TestServers.freePort();
    Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
        "daemon off;", "worker_processes 1;", "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + ";",
        "events { worker_connections 64; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + dir.resolve("tmp") + ";",
        "  proxy_temp_path " + dir.resolve("tmp") + ";",
        "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
        "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
        "  scgi_temp_path " + dir.resolve("tmp") + ";",
        "  server {",
        "    listen 127.0.0.1:" + hardened + " ssl;",
        "    ssl_certificate " + pki.file("good.crt") + "; ssl_certificate_key " + pki.file("good.key") + ";",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    server_tokens off;",
        "    add_header Strict-Transport-Security \"max-age=31536000\" always;",
        "    add_header X-Content-Type-Options nosniff always;",
        "    add_header X-Frame-Options DENY always;",
        "    add_header Content-Security-Policy \"default-src 'self'\" always;",
        "    location / { return 200 \"ok\\n\"; }",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + weak + " ssl;",
        "    ssl_certificate " + pki.file("self.crt") + "; ssl_certificate_key " + pki.file("self.key") + ";",
        "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;",
        "    ssl_ciphers \"DEFAULT:@SECLEVEL=0\";",
        "    server_tokens on;",
        "    location / { return 200 \"ok\\n\"; }",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + plain + ";",
        "    server_tokens on;",
        "    location / { return 200 \"ok\\n\"; }",
        "  }",
        "}", ""));
    try (Server s = Server.start(dir, List.of(hardened, weak, plain), List.of(nginx.toString(), "-p", dir.toString(),
        "-e", dir.resolve("error.log").toString(), "-c", dir.resolve("nginx.conf").toString()))) {
      HttpProber.Result r = new HttpProber(Duration.ofSeconds(2)).probe(List.of(
          "https://127.0.0.1:" + hardened + "/", "https://127.0.0.1:" + weak + "/", "http://127.0.0.1:" + plain + "/"));
      assertThat(r.errors()).isEmpty();
      HttpEndpoint good = r.endpoints().get(0);
      HttpEndpoint bad = r.endpoints().get(1);
      assertThat(good.answer().header("server")).contains("nginx");
      assertThat(good.protocols()).extracting(v -> v.name() + "=" + v.accepted())
          .containsExactly("TLSv1=REFUSED", "TLSv1.1=REFUSED", "TLSv1.2=ACCEPTED", "TLSv1.3=ACCEPTED");
      assertThat(good.certificates()).singleElement().satisfies(c -> {
        assertThat(c.selfSigned()).isFalse();
        assertThat(c.trusted()).isFalse(); // a throw-away CA
        assertThat(c.matches("127.0.0.1")).isTrue();
      });
      assertThat(bad.answer().header("server")).get().asString().startsWith("nginx/1.");
      assertThat(bad.protocols()).extracting(v -> v.name() + "=" + v.accepted())
          .containsExactly("TLSv1=ACCEPTED", "TLSv1.1=ACCEPTED", "TLSv1.2=ACCEPTED", "TLSv1.3=ACCEPTED");
      assertThat(bad.certificates()).singleElement().satisfies(c -> {
        assertThat(c.selfSigned()).isTrue();
        assertThat(c.matches("127.0.0.1")).isFalse();
      });

      CliRun run = CliRun.run("probe", "--http", "https://127.0.0.1:" + hardened + "/",
          "--http", "https://127.0.0.1:" + weak + "/", "--http", "http://127.0.0.1:" + plain + "/", "-f", "json");
      String out = run.out();
      assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
      assertThat(out).contains("\"endpoints\" : [", "\"url\" : \"https://127.0.0.1:" + weak + "/\"",
          "\"outcome\" : \"accepted\"", "\"selfSigned\" : true");
      // the hardened block: only the private CA is held against it
      assertThat(findingsAbout(out, hardened)).containsExactly("code.dast-tls-weak: https://127.0.0.1:" + hardened
          + "/ serves a certificate no default trust store accepts (issuer CN=kapas-test-ca)");
      assertThat(findingsAbout(out, weak)).anyMatch(f -> f.startsWith("code.dast-security-headers:")
              && f.contains("lacks Strict-Transport-Security, X-Content-Type-Options: nosniff"))
          .anyMatch(f -> f.startsWith("code.dast-version-disclosure:") && f.contains("`Server: nginx/1."))
          .anyMatch(f -> f.startsWith("code.dast-tls-weak: https://127.0.0.1:" + weak + "/ accepts TLSv1 ("))
          .anyMatch(f -> f.startsWith("code.dast-tls-weak: https://127.0.0.1:" + weak + "/ accepts TLSv1.1 ("))
          .anyMatch(f -> f.equals("code.dast-tls-weak: https://127.0.0.1:" + weak
              + "/ serves a self-signed certificate (CN=kapas-test.invalid)"))
          .anyMatch(f -> f.equals("code.dast-tls-weak: https://127.0.0.1:" + weak
              + "/ serves a certificate for kapas-test.invalid, not for 127.0.0.1"));
      // with the private CA trusted, as a user who runs it would: the hardened block passes
      // dast-tls-weak, the self-signed one is still self-signed
      CliRun trusting = CliRun.run("probe", "--http", "https://127.0.0.1:" + hardened + "/",
          "--http", "https://127.0.0.1:" + weak + "/", "--cacert", pki.file("ca.crt").toString(), "-f", "json");
      assertThat(trusting.exitCode()).as(trusting.err()).isEqualTo(0);
      assertThat(findingsAbout(trusting.out(), hardened)).isEmpty();
      assertThat(trusting.out()).contains("\"trusted\" : true");
      assertThat(findingsAbout(trusting.out(), weak)).contains("code.dast-tls-weak: https://127.0.0.1:" + weak
          + "/ serves a self-signed certificate (CN=kapas-test.invalid)");
      // a pinned self-signed certificate is trusted as itself
      CliRun pinned = CliRun.run("probe", "--http", "https://127.0.0.1:" + weak + "/",
          "--cacert", pki.file("self.crt").toString(), "-f", "json");
      assertThat(findingsAbout(pinned.out(), weak)).noneMatch(f -> f.contains("self-signed") || f.contains("trust store"))
          .anyMatch(f -> f.contains("not for 127.0.0.1"));
      CliRun missing = CliRun.run("probe", "--http", "https://127.0.0.1:" + weak + "/", "--cacert", "no-such.crt");
      assertThat(missing.exitCode()).isEqualTo(2);
      assertThat(missing.err()).isEqualTo("kapas probe: --cacert no-such.crt: no such file\n");
      assertThat(findingsAbout(out, plain)).anyMatch(f -> f.startsWith("code.dast-security-headers:")
          && !f.contains("Strict-Transport-Security")).noneMatch(f -> f.startsWith("code.dast-tls-weak"));
    }
  }

  /** {@code rule: message} of the JSON report's findings about port {@code port}. */
  static List<String> findingsAbout(String json, int port) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\"ruleId\" : \"([^\"]+)\",[^{}]*?\"message\" : \"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(json);
    while (m.find()) {
      if (m.group(2).contains("127.0.0.1:" + port + "/") || m.group(2).contains("127.0.0.1:" + port + " ")) {
        out.add(m.group(1) + ": " + m.group(2).replace("\\\"", "\""));
      }
    }
    return out;
  }

  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

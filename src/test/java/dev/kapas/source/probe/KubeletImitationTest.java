package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kapas.cli.CliRun;
import dev.kapas.source.Progress;
import dev.kapas.source.probe.TestServers.Pki;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMITATION, not a real kubelet: a kubelet cannot run on this machine (no container runtime, no
 * node), so a JDK HTTPS server answers the kubelet's paths the way kubelet 1.2x does — with
 * anonymous authentication on, {@code /pods} is a PodList; with it off, every path is
 * {@code 401 Unauthorized} in plain text, before any routing. What is tested is the probe's side:
 * identification, the anonymous and read-only rules, and the evidence in the findings.
 */
class KubeletImitationTest {
  private static final String POD_LIST = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}";

  @TempDir
  Path tmp;

  /** An imitation kubelet on {@code port} (0: any free port). */
  private HttpsServer kubelet(int port, boolean anonymous) throws Exception {
    Pki pki = Pki.create(tmp.resolve("pki"));
    pki.issue("kubelet", "node-1", "IP:127.0.0.1,DNS:node-1", false);
    Path p12 = pki.pkcs12("kubelet");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(p12.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/", ex -> answer(ex, anonymous));
    server.start();
    return server;
  }

  private static com.sun.net.httpserver.HttpServer plainKubelet(int port) throws IOException {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext("/", ex -> answer(ex, true));
    server.start();
    return server;
  }

  private static void answer(HttpExchange ex, boolean anonymous) throws IOException {
    String path = ex.getRequestURI().getPath();
    int status;
    String body;
    if (!anonymous) {
      status = 401;
      body = "Unauthorized";
    } else if (path.equals("/pods")) {
      status = 200;
      body = POD_LIST;
    } else if (path.equals("/healthz")) {
      status = 200;
      body = "ok";
    } else {
      status = 404;
      body = "404 page not found";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static PortFact probe(int port) throws Exception {
    return new ProbeSource(Duration.ofSeconds(2), 4)
        .run(ProbeSource.Plan.of(List.of("127.0.0.1"), List.of(port), 10), Progress.NONE).get(0);
  }

  private static CliRun cli(int port) {
    return CliRun.run(false, Map.of(), "probe", "127.0.0.1", "--nodeports", "none", "--ports", String.valueOf(port),
        "-f", "json");
  }

  @Test
  void anonymousKubeletIsIdentifiedByItsPodListOnAnyPort() throws Exception {
    HttpsServer server = kubelet(0, true);
    try {
      int port = server.getAddress().getPort();
      PortFact fact = probe(port);
      assertThat(fact.component()).isEqualTo(Component.KUBELET);
      assertThat(fact.identifiedBy()).isEqualTo("GET /pods returning a PodList");
      assertThat(fact.transport()).isEqualTo(PortFact.Transport.TLS);
      assertThat(fact.certificates()).singleElement().satisfies(c -> assertThat(c.names()).contains("node-1"));

      CliRun run = cli(port);
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("\"cloud.kubelet-anonymous\"", "\"cloud.kubelet-reachable\"")
          .contains("anonymous GET https://127.0.0.1:" + port + "/pods -> HTTP/1.1 200 OK")
          .doesNotContain("\"cloud.kubelet-read-only-reachable\"");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void kubeletRefusingAnonymousIsReachableButNotAnonymous() throws Exception {
    assumeTrue(ProbeRealServersTest.free(10250), "127.0.0.1:10250 is in use here; a 401-only kubelet is told by its port");
    HttpsServer server = kubelet(10250, false);
    try {
      PortFact fact = probe(10250);
      assertThat(fact.component()).isEqualTo(Component.KUBELET);
      assertThat(fact.identifiedBy()).isEqualTo("port 10250");
      CliRun run = cli(10250);
      assertThat(run.out()).contains("\"cloud.kubelet-reachable\"")
          .contains("GET https://127.0.0.1:10250/pods -> HTTP/1.1 401 Unauthorized")
          .doesNotContain("\"cloud.kubelet-anonymous\"");
      assertThat(run.exitCode()).isEqualTo(0);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void a401OnlyServerOnAnotherPortIsNotCalledAKubelet() throws Exception {
    HttpsServer server = kubelet(0, false);
    try {
      PortFact fact = probe(server.getAddress().getPort());
      assertThat(fact.component()).isEqualTo(Component.HTTP);
      assertThat(fact.answer("/pods")).get().satisfies(a -> assertThat(a.status()).isEqualTo(401));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void readOnlyPortServesPodsOverPlainHttp() throws Exception {
    com.sun.net.httpserver.HttpServer server = plainKubelet(0);
    try {
      int port = server.getAddress().getPort();
      PortFact fact = probe(port);
      assertThat(fact.transport()).isEqualTo(PortFact.Transport.PLAIN);
      assertThat(fact.component()).isEqualTo(Component.KUBELET);
      CliRun run = cli(port);
      assertThat(run.out()).contains("\"cloud.kubelet-read-only-reachable\"")
          .contains("GET http://127.0.0.1:" + port + "/pods -> HTTP/1.1 200 OK over plain HTTP")
          .doesNotContain("\"cloud.kubelet-anonymous\"");
      assertThat(run.exitCode()).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }
}

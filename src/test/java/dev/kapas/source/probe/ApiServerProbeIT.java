package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.KubeApiServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against a real kube-apiserver (v1.20, built from Debian's source package by
 * {@code ../shared/tools/kube-apiserver/build.sh}, run with a real etcd by its {@code start.sh} on
 * free ports of 127.0.0.1): anonymous authentication on (the default) with and without a binding
 * that lets {@code system:anonymous} list namespaces, and off. Skipped, with the reason, when the
 * binary has not been built.
 */
class ApiServerProbeIT {
  private static final Path BINARY = KubeApiServer.BINARY;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void needsTheBinary() {
    KubeApiServer.assumeBuilt();
  }

  /** start.sh with its own state directory and free ports; {@code extraFlags} via a wrapper script. */
  private static Map<String, String> start(Path state, String... extraFlags) throws Exception {
    Files.createDirectories(state);
    Path binary = BINARY;
    if (extraFlags.length > 0) {
      binary = state.resolve("kube-apiserver-wrapper");
      Files.writeString(binary, "#!/bin/sh\nexec " + BINARY.toAbsolutePath() + " \"$@\" " + String.join(" ", extraFlags) + "\n");
      Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return KubeApiServer.start(state, binary);
  }

  private static int port(Map<String, String> env) {
    return Integer.parseInt(env.get("APISERVER_PORT"));
  }

  private static CliRun probe(Map<String, String> env) {
    return CliRun.run(false, Map.of(), "probe", "127.0.0.1", "--nodeports", "none", "--ports",
        String.valueOf(port(env)), "-f", "json");
  }

  /** Test setup, as the cluster admin (its static token): POSTs {@code json} to {@code path}, returns the answer. */
  private static String adminPost(Map<String, String> env, String path, String json) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(Path.of(env.get("APISERVER_CA")))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(env.get("APISERVER_URL") + path))
        .header("Authorization", "Bearer " + env.get("APISERVER_TOKEN"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.body();
  }

  /** Test setup, as the cluster admin: lets system:anonymous list namespaces. */
  private static void grantAnonymousNamespaceList(Map<String, String> env) throws Exception {
    adminPost(env, "/apis/rbac.authorization.k8s.io/v1/clusterroles", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
        + "\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"kapas-test-list-ns\"},\"rules\":[{\"apiGroups\":[\"\"],"
        + "\"resources\":[\"namespaces\"],\"verbs\":[\"list\"]}]}");
    adminPost(env, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
        + "\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"kapas-test-anonymous\"},\"roleRef\":{\"apiGroup\":"
        + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"kapas-test-list-ns\"},\"subjects\":[{"
        + "\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"system:anonymous\"}]}");
  }

  @Test
  void fromClusterProbesTheApiServerNodesAndTheNodePortsOfItsServices() throws Exception {
    Map<String, String> env = start(tmp.resolve("from-cluster"));
    try {
      // test setup: a node (loopback addresses only: nothing leaves 127.0.0.1 and ::1) and a NodePort Service
      adminPost(env, "/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\"},"
          + "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},"
          + "{\"type\":\"ExternalIP\",\"address\":\"::1\"},{\"type\":\"Hostname\",\"address\":\"node-1\"}]}}");
      String svc = adminPost(env, "/api/v1/namespaces/default/services", "{\"apiVersion\":\"v1\",\"kind\":\"Service\","
          + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app\":\"web\"},"
          + "\"ports\":[{\"port\":80}]}}");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"nodePort\"\\s*:\\s*(\\d+)").matcher(svc);
      assertThat(m.find()).as(svc).isTrue();
      int nodePort = Integer.parseInt(m.group(1));
      String api = env.get("APISERVER_PORT");
      for (String context : List.of("local", "local-token")) { // a client certificate, then a bearer token
        CliRun run = CliRun.run(false, Map.of(), "probe", "--from-cluster", "--kubeconfig", env.get("KUBECONFIG"),
            "--context", context, "--ports", api, "-f", "json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("2 address(es) from https://127.0.0.1:" + api + ": 127.0.0.1 (the kubeconfig's "
            + "API server), ::1 (node node-1 ExternalIP)")
            .contains("--nodeports sample: 1 NodePort(s) the cluster's Services use")
            .contains("\"ruleId\" : \"cloud.apiserver-reachable\"")
            .doesNotContain(env.get("APISERVER_TOKEN"));
        tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run.out());
        List<String> probed = new java.util.ArrayList<>();
        json.get("probes").forEach(p -> probed.add(p.get("host").stringValue() + " " + p.get("port").intValue()));
        assertThat(probed).containsExactlyInAnyOrder("127.0.0.1 " + api, "127.0.0.1 " + nodePort, "::1 " + api,
            "::1 " + nodePort);
      }
      CliRun nobody = CliRun.run(false, Map.of(), "probe", "--from-cluster", "--kubeconfig", env.get("KUBECONFIG"),
          "--context", "nobody", "-f", "json");
      assertThat(nobody.exitCode()).isEqualTo(3);
      assertThat(nobody.err()).isEqualTo("error: --from-cluster: kubeconfig " + env.get("KUBECONFIG")
          + " has no context `nobody`\n");
    } finally {
      KubeApiServer.stop(env);
    }
  }

  @Test
  void anonymousOnIsReachableAndListsNamespacesOnlyOnceBound() throws Exception {
    Map<String, String> env = start(tmp.resolve("anonymous-on"));
    try {
      CliRun before = probe(env);
      assertThat(before.out()).contains("\"cloud.apiserver-reachable\"")
          .contains("GET https://127.0.0.1:" + port(env) + "/version -> HTTP/1.1 200 OK")
          .doesNotContain("\"ruleId\" : \"cloud.apiserver-anonymous\"")
          .doesNotContain("\"ruleId\" : \"cloud.apiserver-insecure-port\"");
      assertThat(before.exitCode()).isEqualTo(0);

      grantAnonymousNamespaceList(env);
      CliRun after = probe(env);
      assertThat(after.out()).contains("\"ruleId\" : \"cloud.apiserver-anonymous\"")
          .contains("anonymous GET https://127.0.0.1:" + port(env) + "/api/v1/namespaces -> HTTP/1.1 200 OK")
          .contains("identified by GET /api/v1/namespaces returning a NamespaceList");
      assertThat(after.exitCode()).isEqualTo(1);
    } finally {
      KubeApiServer.stop(env);
    }
  }

  /** A binary built beside kube-apiserver ({@code COMPONENTS=... build.sh}); skips the test when missing. */
  private static Path component(String name) {
    Path p = BINARY.resolveSibling(name);
    dev.kapas.testing.TestServer.require(Files.isExecutable(p), name + " is not built at " + p + " (.ci/run builds it: COMPONENTS=\"kube-apiserver "
        + "kube-scheduler kube-controller-manager\" ../shared/tools/kube-apiserver/build.sh)");
    return p;
  }

  /** {@code binary} against the API server in {@code env}, serving on {@code port} of 127.0.0.1 as kubeadm runs it. */
  private static TestServers.Server run(Path binary, Map<String, String> env, int port, Path dir, String... extra)
      throws Exception {
    Files.createDirectories(dir);
    String kubeconfig = env.get("KUBECONFIG");
    List<String> cmd = new java.util.ArrayList<>(List.of(binary.toAbsolutePath().toString(), "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1", "--secure-port=" + port, "--port=0", "--leader-elect=false"));
    cmd.addAll(List.of(extra));
    return TestServers.Server.start(dir, List.of(port), cmd);
  }

  /** Waits (up to 60 s) until {@code https://127.0.0.1:port/metrics} mentions {@code text}; curl -k, test setup only. */
  private static void awaitMetric(int port, String text) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Process p = new ProcessBuilder("curl", "-sk", "--max-time", "5", "https://127.0.0.1:" + port + "/metrics")
          .redirectErrorStream(true).start();
      last = new String(p.getInputStream().readAllBytes());
      p.waitFor(10, TimeUnit.SECONDS);
      if (last.contains(text)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no " + text + " in /metrics of port " + port + " within 60 s: "
        + last.substring(0, Math.min(300, last.length())));
  }

  @Test
  void schedulerAndControllerManagerAreToldFromTheirAnswersNotTakenForTheApiServer() throws Exception {
    Path scheduler = component("kube-scheduler");
    Path controllerManager = component("kube-controller-manager");
    Map<String, String> env = start(tmp.resolve("control-plane"));
    int plain = TestServers.freePort();
    int open = TestServers.freePort();
    int cm = TestServers.freePort();
    String metricsToo = "--authorization-always-allow-paths=/healthz,/metrics";
    try (TestServers.Server s1 = run(scheduler, env, plain, tmp.resolve("scheduler-default"));
        TestServers.Server s2 = run(scheduler, env, open, tmp.resolve("scheduler-metrics"), metricsToo);
        TestServers.Server s3 = run(controllerManager, env, cm, tmp.resolve("controller-manager"), metricsToo)) {
      // test setup: the controllers register their metrics as they start, seconds after the port opens
      awaitMetric(cm, "_controller_rate_limiter_use");
      CliRun run = CliRun.run(false, Map.of(), "probe", "127.0.0.1", "--nodeports", "none", "--ports",
          plain + "," + open + "," + cm, "-f", "json");
      tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run.out());
      Map<Integer, String> told = new HashMap<>();
      Map<Integer, String> evidence = new HashMap<>();
      json.get("probes").forEach(p -> told.put(p.get("port").intValue(),
          p.get("component").stringValue() + " / " + p.get("identifiedBy").stringValue()));
      json.get("probes").forEach(p -> evidence.put(p.get("port").intValue(), p.get("evidence").toString()));
      // as kubeadm runs it: anonymous requests are forbidden as paths, /healthz answers, the
      // certificate is the one it made itself; on a port of its own it would be the scheduler
      assertThat(told.get(plain)).startsWith("HTTP server / GET /api/v1/namespaces forbidden as a path, not a resource, "
          + "a kube-scheduler or kube-controller-manager on port " + plain);
      assertThat(told.get(open)).as(evidence.get(open)).isEqualTo("kube-scheduler / GET /metrics exporting scheduler_binding_duration_seconds");
      assertThat(told.get(cm)).as(evidence.get(cm)).matches("kube-controller-manager / GET /metrics exporting \\w+_controller_\\w+");
      assertThat(run.out()).doesNotContain("\"ruleId\" : \"cloud.apiserver-reachable\"")
          .contains("\"ruleId\" : \"cloud.scheduler-reachable\"", "\"ruleId\" : \"cloud.controller-manager-reachable\"")
          .contains("GET https://127.0.0.1:" + open + "/healthz -> HTTP/1.1 200 OK");
    } finally {
      KubeApiServer.stop(env);
    }
  }

  @Test
  void anonymousOffAnswers401ButIsStillToldApart() throws Exception {
    Map<String, String> env = start(tmp.resolve("anonymous-off"), "--anonymous-auth=false");
    try {
      CliRun run = probe(env);
      assertThat(run.out()).contains("\"ruleId\" : \"cloud.apiserver-reachable\"")
          .contains("GET https://127.0.0.1:" + port(env) + "/version -> HTTP/1.1 401 Unauthorized")
          // the serving certificate names it; 401 Status answers alone would not tell it from a
          // scheduler with anonymous authentication off
          .contains("identified by TLS certificate CN=kube-apiserver")
          .doesNotContain("\"ruleId\" : \"cloud.apiserver-anonymous\"");
      assertThat(run.exitCode()).isEqualTo(0);
    } finally {
      KubeApiServer.stop(env);
    }
  }
}

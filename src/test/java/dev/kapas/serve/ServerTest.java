package dev.kapas.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kapas.engine.Engine;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.model.Severity;
import dev.kapas.policy.Framework;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kapas serve's server, offline, on a free port of 127.0.0.1 with a real certificate made by
 * openssl: AdmissionReview v1 JSON posted over real HTTPS, as the API server posts it.
 */
class ServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PRIVILEGED = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},
       "spec":{"containers":[{"name":"c","image":"nginx:1.25","securityContext":{"privileged":true}}]}}""";
  static final String COMPLIANT = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"ok"},
       "spec":{"automountServiceAccountToken":false,"serviceAccountName":"app",
        "securityContext":{"runAsNonRoot":true,"runAsUser":10001,"seccompProfile":{"type":"RuntimeDefault"}},
        "containers":[{"name":"app",
          "image":"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},
          "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}}]}}""";

  @TempDir
  Path tmp;
  private final List<Server> servers = new ArrayList<>();
  private final StringWriter log = new StringWriter();

  @AfterEach
  void stop() {
    servers.forEach(Server::close);
  }

  private Server start(Mode mode, Severity severity, Optional<Path> config, String keyKind) throws Exception {
    return start(mode, severity, config, keyKind, 0);
  }

  private Server start(Mode mode, Severity severity, Optional<Path> config, String keyKind, int warmUp)
      throws Exception {
    return start(mode, severity, config, keyKind, warmUp, Server::loopback);
  }

  private Server start(Mode mode, Severity severity, Optional<Path> config, String keyKind, int warmUp,
      java.util.function.UnaryOperator<InetSocketAddress> warmUpTarget) throws Exception {
    Path cert = tmp.resolve("tls.crt");
    Path key = tmp.resolve("tls.key");
    if (!Files.exists(cert)) {
      Tls.selfSigned(cert, key, "first", keyKind);
    }
    RuleCatalog catalog = RuleCatalog.builtIn();
    Judge.Factory judges = Judges.builtIn(cfg -> new Judge(catalog, cfg, new Engine(catalog.all().stream()
        .filter(r -> !Judge.NEED_THE_CLUSTER.contains(r.spec().id()) && !cfg.disabled().contains(r.spec().id()))
        .toList(), new Engine.Settings(PssVersion.LATEST, Framework.FOUR_C.pssLevel(), cfg.params()))));
    Server s = Server.start(new Server.Options(new InetSocketAddress("127.0.0.1", 0), cert, key, config, mode,
        severity, Duration.ofMillis(50), Optional.empty(), Duration.ofSeconds(5), warmUp), judges, Optional.empty(),
        new PrintWriter(log, true), LocalDate::now, warmUpTarget);
    servers.add(s);
    return s;
  }

  static String review(String uid, String operation, String namespace, String object, boolean dryRun) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s",
         "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
         "requestKind":{"group":"","version":"v1","kind":"Pod"},"name":"web","namespace":"%s","operation":"%s",
         "userInfo":{"username":"alice","groups":["system:authenticated"]},"object":%s,"oldObject":null,
         "dryRun":%s,"options":{"apiVersion":"meta.k8s.io/v1","kind":"CreateOptions"}}}"""
        .formatted(uid, namespace, operation, object, dryRun);
  }

  private HttpResponse<String> post(Server s, String body) throws Exception {
    HttpClient client = Tls.client(tmp.resolve("tls.crt"));
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/validate"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode answer(Server s, String body) throws Exception {
    HttpResponse<String> r = post(s, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode review = JSON.readTree(r.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    return review.path("response");
  }

  private String get(Server s, String path) throws Exception {
    HttpResponse<String> r = Tls.client(tmp.resolve("tls.crt")).send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void enforceDeniesAPrivilegedPodWithTheRuleIdsAndMessages() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    JsonNode response = answer(s, review("uid-1", "CREATE", "shop", PRIVILEGED, false));
    assertThat(response.path("uid").asText()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    String message = response.path("status").path("message").asText();
    assertThat(message).startsWith("kapas denied Pod/shop/web (kapas.dev/enforce: high):")
        .contains("cluster.privileged-container (critical) at spec.containers[0].securityContext.privileged: "
            + "container `c` sets `privileged: true`")
        // medium and lower findings are not enforced at high
        .doesNotContain("container.no-cpu-limit");
    assertThat(response.has("warnings")).isFalse();
  }

  @Test
  void aCompliantPodIsAllowedWithoutWarnings() throws Exception {
    Server s = start(Mode.WARN, Severity.INFO, Optional.empty(), "rsa-pkcs8");
    JsonNode response = answer(s, review("uid-2", "CREATE", "shop", COMPLIANT, false));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("warnings")).as(response.toString()).isFalse();
    assertThat(response.has("status")).isFalse();
  }

  @Test
  void warnModeAllowsWithAWarningPerFinding() throws Exception {
    Server s = start(Mode.WARN, Severity.HIGH, Optional.empty(), "rsa-pkcs1");
    JsonNode response = answer(s, review("uid-3", "CREATE", "shop", PRIVILEGED, false));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    List<String> warnings = new ArrayList<>();
    response.path("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings).contains("kapas cluster.privileged-container (critical): container `c` sets `privileged: true`")
        .allSatisfy(w -> assertThat(w).startsWith("kapas ").hasSizeLessThanOrEqualTo(Webhook.MAX_WARNING));
    assertThat(warnings).noneMatch(w -> w.contains("container.no-cpu-limit"));
  }

  @Test
  void auditModeAddsAnAuditAnnotation() throws Exception {
    Server s = start(Mode.AUDIT, Severity.CRITICAL, Optional.empty(), "ec");
    JsonNode response = answer(s, review("uid-4", "CREATE", "shop", PRIVILEGED, false));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("warnings")).isFalse();
    assertThat(response.path("auditAnnotations").path("findings").asText())
        .isEqualTo("cluster.privileged-container (critical): container `c` sets `privileged: true`");
  }

  @Test
  void aDryRunIsJudgedLikeAnyRequestAndDeletesPass() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    JsonNode dry = answer(s, review("uid-5", "CREATE", "shop", PRIVILEGED, true));
    assertThat(dry.path("allowed").asBoolean()).isFalse();
    assertThat(dry.path("status").path("message").asText()).contains("cluster.privileged-container");
    JsonNode delete = answer(s, review("uid-6", "DELETE", "shop", "null", false));
    assertThat(delete.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void badRequestsAreRefusedWithTheReason() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    HttpResponse<String> notJson = post(s, "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("the body is not JSON");
    HttpResponse<String> v1beta1 = post(s, review("u", "CREATE", "shop", PRIVILEGED, false)
        .replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"));
    assertThat(v1beta1.statusCode()).isEqualTo(400);
    assertThat(v1beta1.body()).contains("admissionReviewVersions: [v1]");
    assertThat(get(s, "/validate")).startsWith("405 ");
    assertThat(post(s, "[1]").body()).isEqualTo("the body is not a JSON object\n");
    HttpResponse<String> twice = post(s, review("u", "CREATE", "shop", PRIVILEGED, false)
        .replace("\"uid\":\"u\",", "\"uid\":\"u\",\"uid\":\"v\","));
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).startsWith("the body is JSON kapas does not read: a key given twice");
    HttpResponse<String> noUid = post(s, review("", "CREATE", "shop", PRIVILEGED, false));
    assertThat(noUid.body()).isEqualTo("the AdmissionReview has no request.uid\n");
  }

  @Test
  void beforeItIsReadyTheServerJudgesItsSampleRequestsWithoutCountingThem() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8", 40);
    for (int i = 0; i < 600 && !s.ready(); i++) {
      Thread.sleep(50);
    }
    assertThat(get(s, "/readyz")).isEqualTo("200 ok\n");
    java.util.regex.Matcher warmed = java.util.regex.Pattern
        .compile("warmed up on (\\d+) sample requests \\((\\d+) denied\\)").matcher(log.toString());
    assertThat(warmed.find()).as(log.toString()).isTrue();
    // 40, or more while the JIT was busy (in rounds of 250, up to four times as many)
    int requests = Integer.parseInt(warmed.group(1));
    assertThat(requests).isGreaterThanOrEqualTo(40).isLessThanOrEqualTo(160);
    // the privileged Pod and the Deployment are denied, the compliant Pod and the Service pass
    assertThat(Integer.parseInt(warmed.group(2))).isEqualTo(requests / 2);
    // then a third of them through the server's own HTTPS listener, uncounted and unlogged as well
    assertThat(log.toString()).contains("kapas serve: warmed up the HTTPS listener on " + Server.overHttps(40)
        + " sample requests from 127.0.0.1 port " + s.port() + " on " + WarmUp.CONNECTIONS + " connections in ")
        .doesNotContain("could not judge");
    assertThat(get(s, "/metrics")).doesNotContain("kapas_admission_requests_total{").contains(
        "kapas_admission_duration_seconds_count 0\n");
    answer(s, review("a", "CREATE", "shop", PRIVILEGED, false));
    assertThat(get(s, "/metrics")).contains("kapas_admission_requests_total{verdict=\"denied\"} 1\n");
    // once ready, even the warm-up's own token marks nothing: the request counts
    HttpResponse<String> marked = Tls.client(tmp.resolve("tls.crt")).send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + s.port() + "/validate")).header(WarmUp.HEADER, s.warmUpToken())
        .POST(HttpRequest.BodyPublishers.ofString(review("b", "CREATE", "shop", PRIVILEGED, false))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(marked.statusCode()).isEqualTo(200);
    assertThat(get(s, "/metrics")).contains("kapas_admission_requests_total{verdict=\"denied\"} 2\n");
  }

  @Test
  void aWarmUpOverHttpsThatGetsNoAnswerIsLoggedOnceAndTheServerBecomesReady() throws Exception {
    // a listener that accepts connections and never answers: the handshake of each connection times out
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8", 40,
          bound -> new InetSocketAddress(silent.getInetAddress(), silent.getLocalPort()));
      for (int i = 0; i < 600 && !s.ready(); i++) {
        Thread.sleep(50);
      }
      assertThat(get(s, "/readyz")).isEqualTo("200 ok\n");
      String failed = "kapas serve: the warm-up over HTTPS to 127.0.0.1 port " + silent.getLocalPort()
          + " stopped after 0 requests (ready all the same): ";
      assertThat(log.toString()).contains(failed).doesNotContain("warmed up the HTTPS listener");
      assertThat(log.toString().split(java.util.regex.Pattern.quote(failed), -1)).hasSize(2);
    }
  }

  @Test
  void theWarmUpReachesTheListenerOnLoopbackOrOnItsOwnAddress() throws Exception {
    assertThat(Server.loopback(new InetSocketAddress("0.0.0.0", 8443)))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 8443));
    assertThat(Server.loopback(new InetSocketAddress("::", 8443))).isEqualTo(new InetSocketAddress("127.0.0.1", 8443));
    assertThat(Server.loopback(new InetSocketAddress("127.0.0.1", 9443)))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 9443));
    assertThat(Server.loopback(new InetSocketAddress("10.1.2.3", 8443)))
        .isEqualTo(new InetSocketAddress("10.1.2.3", 8443));
    assertThat(Server.overHttps(3000)).isEqualTo(1000);
    assertThat(Server.overHttps(12000)).isEqualTo(2000);
    assertThat(Server.overHttps(2)).isEqualTo(1);
  }

  @Test
  void theBodyIsReadToItsContentLengthOrUpToTheLimit() throws Exception {
    byte[] json = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Server.body(new java.io.ByteArrayInputStream(json), String.valueOf(json.length))).isEqualTo(json);
    assertThat(Server.body(new java.io.ByteArrayInputStream(json), null)).isEqualTo(json);
    assertThat(Server.body(new java.io.ByteArrayInputStream(json), "x")).isEqualTo(json);
    // a body shorter than it said is what arrived
    assertThat(Server.body(new java.io.ByteArrayInputStream(json), "100")).isEqualTo(json);
    byte[] large = new byte[Server.MAX_BODY + 10];
    assertThat(Server.body(new java.io.ByteArrayInputStream(large), String.valueOf(large.length))).hasSize(
        Server.MAX_BODY + 1);
    assertThat(Server.body(new java.io.ByteArrayInputStream(large), null)).hasSize(Server.MAX_BODY + 1);
  }

  @Test
  void healthReadinessAndMetricsCountWhatWasAnswered() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    assertThat(get(s, "/healthz")).isEqualTo("200 ok\n");
    assertThat(get(s, "/readyz")).isEqualTo("200 ok\n");
    answer(s, review("a", "CREATE", "shop", PRIVILEGED, false));
    answer(s, review("b", "CREATE", "shop", PRIVILEGED, false));
    answer(s, review("c", "CREATE", "shop", COMPLIANT, false));
    post(s, "[]");
    String metrics = get(s, "/metrics");
    assertThat(metrics).startsWith("200 ")
        .contains("kapas_admission_requests_total{verdict=\"denied\"} 2\n")
        .contains("kapas_admission_requests_total{verdict=\"allowed\"} 1\n")
        .contains("kapas_admission_requests_total{verdict=\"error\"} 1\n")
        .contains("kapas_admission_rule_hits_total{rule=\"cluster.privileged-container\",action=\"deny\"} 2\n")
        .contains("kapas_admission_duration_seconds_bucket{le=\"+Inf\"} 4\n")
        .contains("kapas_admission_duration_seconds_count 4\n");
    assertThat(get(s, "/")).startsWith("200 kapas serve").contains("--offline");
    // --warm-up 0: no warm-up at all, neither judged in process nor over HTTPS
    assertThat(log.toString()).doesNotContain("warm");
  }

  @Test
  void aChangedConfigIsReadAgainAndItsExceptionsApply() throws Exception {
    Path config = tmp.resolve(".kapas.yaml");
    Files.writeString(config, "failOn: high\n");
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.of(config), "rsa-pkcs8");
    assertThat(answer(s, review("1", "CREATE", "shop", PRIVILEGED, false)).path("allowed").asBoolean()).isFalse();
    Files.writeString(config, """
        exceptions:
        - rule: cluster.privileged-container
          match: {namespace: shop}
          reason: the shop's network probe needs it (ticket 42)
        - rule: cluster.run-as-non-root
          reason: accepted for this test
        - rule: cluster.privilege-escalation
          reason: accepted for this test
        """);
    JsonNode after = null;
    for (int i = 0; i < 400; i++) {
      after = answer(s, review("2", "CREATE", "shop", PRIVILEGED, false));
      if (after.path("allowed").asBoolean()) {
        break;
      }
      Thread.sleep(25);
    }
    assertThat(after.path("allowed").asBoolean()).as(after + "\n" + log).isTrue();
    assertThat(log.toString()).contains("config and rules reloaded from " + config);
    // the same object in another namespace is not covered by the exception
    JsonNode elsewhere = answer(s, review("3", "CREATE", "bank", PRIVILEGED, false));
    assertThat(elsewhere.path("status").path("message").asText()).contains("cluster.privileged-container")
        .doesNotContain("cluster.run-as-non-root");
    // a broken config keeps the previous one in use and says so
    Files.writeString(config, "exceptions: [{rule: cluster.privileged-container}]\n");
    for (int i = 0; i < 400 && !log.toString().contains("the previous config and rules stay in use"); i++) {
      Thread.sleep(25);
    }
    assertThat(log.toString()).contains(config.toString()).contains("the previous config and rules stay in use");
    assertThat(answer(s, review("4", "CREATE", "shop", PRIVILEGED, false)).path("allowed").asBoolean()).isTrue();
  }

  @Test
  void aRenewedCertificateIsServedToNewConnections() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    Path first = tmp.resolve("first.crt");
    Files.copy(tmp.resolve("tls.crt"), first);
    Path both = tmp.resolve("both.crt");
    Tls.selfSigned(tmp.resolve("second.crt"), tmp.resolve("second.key"), "second", "ec");
    Files.writeString(both, Files.readString(first) + Files.readString(tmp.resolve("second.crt")));
    var trust = Tls.trusting(both);
    assertThat(Tls.servedName(s.port(), trust)).isEqualTo("CN=first");
    Files.move(tmp.resolve("second.key"), tmp.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp.resolve("second.crt"), tmp.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String served = "";
    for (int i = 0; i < 400 && !served.equals("CN=second"); i++) {
      Thread.sleep(25);
      served = Tls.servedName(s.port(), trust);
    }
    assertThat(served).isEqualTo("CN=second");
    assertThat(log.toString()).contains("serving certificate reloaded: CN=second");
  }

  @Test
  void theObjectTakesItsNamespaceFromTheRequest() throws Exception {
    Server s = start(Mode.ENFORCE, Severity.HIGH, Optional.empty(), "rsa-pkcs8");
    ObjectNode pod = (ObjectNode) JSON.readTree(PRIVILEGED);
    pod.remove("apiVersion");
    pod.remove("kind");
    JsonNode response = answer(s, review("5", "CREATE", "payments", pod.toString(), false));
    assertThat(response.path("status").path("message").asText()).startsWith("kapas denied Pod/payments/web");
    pod.put("apiVersion", (String) null);
    ((ObjectNode) pod.path("metadata")).put("namespace", "");
    response = answer(s, review("6", "CREATE", "billing", pod.toString(), false));
    assertThat(response.path("status").path("message").asText()).startsWith("kapas denied Pod/billing/web");
  }
}

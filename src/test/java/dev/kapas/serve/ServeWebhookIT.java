package dev.kapas.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.model.Severity;
import dev.kapas.policy.Framework;
import dev.kapas.report.HtmlReport;
import dev.kapas.source.cluster.ClusterCache;
import dev.kapas.source.cluster.Connection;
import dev.kapas.testing.KubeApiServer;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * kapas serve registered as a validating webhook of a real kube-apiserver v1.20 (with a real etcd,
 * both on 127.0.0.1, started by ../shared/tools/kube-apiserver/start.sh): the API server calls
 * https://127.0.0.1:PORT/validate with the caBundle it was given. Pods are created over the API
 * server's REST API, as kubectl creates them, so its status codes and Warning headers are what a
 * client sees. Skipped, with the reason, when kube-apiserver has not been built.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeWebhookIT {
  @TempDir
  static Path tmp;
  private static Map<String, String> env;
  private static Server server;
  private static HttpClient api;
  private static final StringWriter LOG = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    KubeApiServer.assumeBuilt();
    env = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
    api = Tls.client(Path.of(env.get("APISERVER_CA")));
    // namespaces first, so the informer cache holds their labels once ready
    assertThat(call("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"enforced\"}}").statusCode()).isEqualTo(201);
    assertThat(call("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
        + "{\"name\":\"warned\",\"labels\":{\"kapas.dev/warn\":\"high\"}}}").statusCode()).isEqualTo(201);
    Path cert = tmp.resolve("tls.crt");
    Path key = tmp.resolve("tls.key");
    Tls.selfSigned(cert, key, "kapas-webhook", "rsa-pkcs1");
    Connection conn = Connection.open(Optional.of(Path.of(env.get("KUBECONFIG"))), Optional.of("local-token"),
        Map.of(), Duration.ofSeconds(30));
    ClusterCache cache = ClusterCache.start(conn, Duration.ofSeconds(30));
    RuleCatalog catalog = RuleCatalog.builtIn();
    Judge.Factory judges = Judges.builtIn(cfg -> new Judge(catalog, cfg, new Engine(catalog.all(),
        new Engine.Settings(PssVersion.LATEST, Framework.FOUR_C.pssLevel(), cfg.params()))));
    server = Server.start(new Server.Options(new InetSocketAddress("127.0.0.1", 0), cert, key, Optional.empty(),
        Mode.ENFORCE, Severity.HIGH, Duration.ofSeconds(5), Optional.of(Duration.ofMillis(500)), Duration.ofSeconds(5),
        200),
        judges, Optional.of(cache), new PrintWriter(LOG, true), LocalDate::now);
    for (int i = 0; i < 600 && !server.ready(); i++) {
      Thread.sleep(50);
    }
    assertThat(server.ready()).as("the informer cache synced").isTrue();
    String webhook = """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
         "metadata":{"name":"kapas"},
         "webhooks":[{"name":"validate.kapas.dev","admissionReviewVersions":["v1"],"sideEffects":"None",
          "failurePolicy":"Fail","timeoutSeconds":5,
          "clientConfig":{"url":"https://127.0.0.1:%d/validate","caBundle":"%s"},
          "namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn",
            "values":["kube-system"]}]},
          "rules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE","UPDATE"],"resources":["pods"]}]}]}"""
        .formatted(server.port(), Base64.getEncoder().encodeToString(Files.readAllBytes(cert)));
    assertThat(call("POST", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", webhook)
        .statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (env != null) {
      KubeApiServer.stop(env);
    }
  }

  private static HttpResponse<String> call(String method, String path, String body) throws Exception {
    return api.send(HttpRequest.newBuilder(URI.create(env.get("APISERVER_URL") + path))
        .header("Authorization", "Bearer " + env.get("APISERVER_TOKEN"))
        .header("Content-Type", method.equals("PATCH") ? "application/json-patch+json" : "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> createPod(String namespace, String pod) throws Exception {
    return call("POST", "/api/v1/namespaces/" + namespace + "/pods", pod);
  }

  @Test
  @Order(1)
  void aPrivilegedPodIsDeniedWithKapasMessage() throws Exception {
    HttpResponse<String> r = createPod("enforced", ServerTest.PRIVILEGED);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("admission webhook \\\"validate.kapas.dev\\\" denied the request: "
        + "kapas denied Pod/enforced/web (kapas.dev/enforce: high)")
        .contains("cluster.privileged-container (critical) at spec.containers[0].securityContext.privileged");
    assertThat(call("GET", "/api/v1/namespaces/enforced/pods/web", "").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void aDryRunIsDeniedTheSameWay() throws Exception {
    HttpResponse<String> r = call("POST", "/api/v1/namespaces/enforced/pods?dryRun=All", ServerTest.PRIVILEGED);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("cluster.privileged-container");
  }

  @Test
  @Order(3)
  void inAWarnNamespaceTheClientGetsTheWarning() throws Exception {
    HttpResponse<String> r = createPod("warned", ServerTest.PRIVILEGED);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    List<String> warnings = r.headers().allValues("Warning");
    assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("299 ")
        .contains("kapas cluster.privileged-container (critical): container `c` sets `privileged: true`"));
  }

  @Test
  @Order(4)
  void aCompliantPodPasses() throws Exception {
    HttpResponse<String> r = createPod("enforced", ServerTest.COMPLIANT);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().allValues("Warning")).isEmpty();
  }

  @Test
  @Order(5)
  void theAuditSeesTheClusterThroughTheCache() throws Exception {
    for (int i = 0; i < 200 && server.latestAudit().map(a -> a.findings().stream()
        .noneMatch(f -> f.object().name().equals("web") && f.object().namespace().equals("warned"))).orElse(true); i++) {
      Thread.sleep(50);
    }
    assertThat(server.latestAudit()).isPresent();
    assertThat(server.latestAudit().get().findings()).anySatisfy(f -> {
      assertThat(f.ruleId()).isEqualTo("cluster.privileged-container");
      assertThat(f.object().namespace()).isEqualTo("warned");
    });
    assertThat(server.latestAuditPage()).contains("cluster.privileged-container Pod/warned/web");
    // the page at / is the HTML report of that audit, under the report's own CSP
    HttpResponse<String> home = Tls.client(tmp.resolve("tls.crt")).send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(home.headers().firstValue("Content-Security-Policy")).hasValue(HtmlReport.CONTENT_SECURITY_POLICY);
    assertThat(home.body()).startsWith("<!DOCTYPE html").contains("cluster.privileged-container").contains("warned");
  }

  @Test
  @Order(6)
  void withTheWebhookStoppedFailurePolicyDecides() throws Exception {
    server.close();
    server = null;
    HttpResponse<String> closed = createPod("enforced", ServerTest.COMPLIANT.replace("\"ok\"", "\"ok2\""));
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(500);
    assertThat(closed.body()).contains("failed calling webhook \\\"validate.kapas.dev\\\"");
    HttpResponse<String> patched = call("PATCH", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/kapas",
        "[{\"op\":\"replace\",\"path\":\"/webhooks/0/failurePolicy\",\"value\":\"Ignore\"}]");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    HttpResponse<String> open = createPod("enforced", ServerTest.PRIVILEGED);
    assertThat(open.statusCode()).as("fail-open admits even what kapas would deny: " + open.body()).isEqualTo(201);
  }
}

package dev.kapas.source.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.source.Progress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fast unit tests of the listing logic against fabric8's mock API server (a scripted HTTP server,
 * not Kubernetes): pagination, metadata-only Secrets, forbidden kinds, owned pods. ClusterScanIT
 * checks all of this against a real kube-apiserver.
 */
class ClusterSourceTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws java.text.ParseException {
    server = new KubernetesMockServer(false);
    // the mock answers /version itself; EKS-style minor "29+"
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("29+").withGitVersion("v1.29.3-eks-1")
        .build());
    server.init();
    client = server.createClient();
    server.expect().get().withPath("/apis").andReturn(200, "{\"kind\":\"APIGroupList\",\"groups\":[]}").always();
    server.expect().get().withPath("/api/v1").andReturn(200, "{\"kind\":\"APIResourceList\",\"resources\":["
        + "{\"name\":\"namespaces\",\"namespaced\":false,\"kind\":\"Namespace\"},"
        + "{\"name\":\"pods\",\"namespaced\":true,\"kind\":\"Pod\"},"
        + "{\"name\":\"pods/exec\",\"namespaced\":true,\"kind\":\"PodExecOptions\"},"
        + "{\"name\":\"secrets\",\"namespaced\":true,\"kind\":\"Secret\"}]}").always();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private ClusterSource.Result read(ClusterSource.Options options) {
    return new ClusterSource(client.getHttpClient(), client.getMasterUrl().toString(), "mock", options)
        .read(Progress.NONE);
  }

  private static ClusterSource.Options options(int pageSize) {
    return new ClusterSource.Options(List.of(), Set.of(), Duration.ofSeconds(20), pageSize, 2);
  }

  private static String pod(String name, String owner) {
    String refs = owner.isEmpty() ? "" : ",\"ownerReferences\":[{\"kind\":\"" + owner.split("/")[0] + "\",\"name\":\""
        + owner.split("/")[1] + "\",\"controller\":true}]";
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"shop\",\"managedFields\":[{\"manager\":\"kubectl\"}]"
        + refs + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}";
  }

  @Test
  void listsEveryPageAndNamesObjectsByClusterContextKindNamespaceName() throws InterruptedException {
    server.expect().get().withPath("/api/v1/namespaces?limit=2")
        .andReturn(200, "{\"kind\":\"NamespaceList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"shop\"}}]}").once();
    server.expect().get().withPath("/api/v1/pods?limit=2").andReturn(200, "{\"kind\":\"PodList\",\"metadata\":"
        + "{\"continue\":\"next/page=\"},\"items\":[" + pod("a", "") + "," + pod("b", "") + "]}").once();
    server.expect().get().withPath("/api/v1/pods?limit=2&continue=next%2Fpage%3D").andReturn(200,
        "{\"kind\":\"PodList\",\"metadata\":{},\"items\":[" + pod("c", "Node/n1") + "]}").once();
    server.expect().get().withPath("/api/v1/secrets?limit=2").andReturn(200, "{\"kind\":\"PartialObjectMetadataList\","
        + "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{},\"items\":[{\"kind\":\"PartialObjectMetadata\","
        + "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\",\"annotations\":{"
        + "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"data\\\":{\\\"p\\\":\\\"c2VjcmV0\\\"}}\","
        + "\"team\":\"x\"}}}]}").once();

    ClusterSource.Result r = read(options(2));

    assertThat(r.errors()).isEmpty();
    assertThat(r.version()).contains(new ClusterSource.ServerVersion("v1.29.3-eks-1", 1, 29));
    assertThat(r.objects()).extracting(o -> o.origin().file()).containsExactlyInAnyOrder(
        "cluster/mock/Namespace/shop", "cluster/mock/Pod/shop/a", "cluster/mock/Pod/shop/b", "cluster/mock/Pod/shop/c",
        "cluster/mock/Secret/shop/db");
    KubeObject a = r.objects().stream().filter(o -> o.name().equals("a")).findFirst().orElseThrow();
    assertThat(a.apiVersion()).isEqualTo("v1");
    assertThat(a.kind()).isEqualTo("Pod");
    assertThat(a.metadata().get("managedFields").isMissing()).isTrue();
    KubeObject secret = r.objects().stream().filter(o -> o.kind().equals("Secret")).findFirst().orElseThrow();
    assertThat(secret.apiVersion()).isEqualTo("v1");
    assertThat(secret.annotations()).containsOnlyKeys("team");
    assertThat(r.notes()).extracting(Diagnostic::message)
        .anyMatch(m -> m.contains("deployments.apps is not served"));
    List<String> accepts = new ArrayList<>();
    for (RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS); req != null;
        req = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if (req.getPath().startsWith("/api/v1/secrets")) {
        accepts.add(req.getHeader("Accept"));
      }
      assertThat(req.getMethod()).isEqualTo("GET");
    }
    assertThat(accepts).containsExactly("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
  }

  @Test
  void aForbiddenKindIsAnErrorAndTheOthersAreRead() {
    server.expect().get().withPath("/api/v1/namespaces?limit=500")
        .andReturn(200, "{\"kind\":\"NamespaceList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"shop\"}}]}").once();
    server.expect().get().withPath("/api/v1/pods?limit=500")
        .andReturn(200, "{\"kind\":\"PodList\",\"metadata\":{},\"items\":[]}").once();
    server.expect().get().withPath("/api/v1/secrets?limit=500").andReturn(403, "{\"kind\":\"Status\",\"message\":"
        + "\"secrets is forbidden: User \\\"x\\\" cannot list resource \\\"secrets\\\"\"}").once();

    ClusterSource.Result r = read(options(500));

    assertThat(r.errors()).extracting(Diagnostic::display).containsExactly("cluster/mock/Secret: not scanned: "
        + "forbidden (HTTP 403 on GET /api/v1/secrets: secrets is forbidden: User \"x\" cannot list resource \"secrets\")");
    assertThat(r.objects()).extracting(KubeObject::kind).containsExactly("Namespace");
  }

  @Test
  void podsOwnedByAScannedControllerAreLeftOutMirrorPodsStay() {
    List<Diagnostic> notes = new ArrayList<>();
    dev.kapas.source.manifest.JsonDocuments json = new dev.kapas.source.manifest.JsonDocuments(
        dev.kapas.source.manifest.YamlTreeReader.Limits.DEFAULT);
    List<KubeObject> objects = new ArrayList<>();
    for (String[] o : List.of(new String[] {"apps/v1", "ReplicaSet", pod("web-1", "Deployment/web")},
        new String[] {"apps/v1", "Deployment", pod("web", "")}, new String[] {"v1", "Pod", pod("web-1-x", "ReplicaSet/web-1")},
        new String[] {"v1", "Pod", pod("etcd-n1", "Node/n1")}, new String[] {"v1", "Pod", pod("orphan", "ReplicaSet/gone")})) {
      dev.kapas.model.MapNode item = (dev.kapas.model.MapNode) json.read(o[2].getBytes()).orElseThrow();
      ApiResource r = new ApiResource("", List.of("v1"), "x", o[1], true, false);
      objects.add(new KubeObject(ClusterSource.object(item, o[0], r), new dev.kapas.model.Origin("f", 1, 0, 0)));
    }
    List<KubeObject> kept = ClusterSource.withoutOwned(objects, notes, "cluster/mock");
    assertThat(kept).extracting(KubeObject::name).containsExactly("web", "etcd-n1", "orphan");
    assertThat(notes).extracting(Diagnostic::message).containsExactly(
        "1 ReplicaSet, 1 Pod managed by a scanned controller left out (the controller's pod template is checked instead)");
  }

  /** A real socket on 127.0.0.1 that accepts and never answers: --timeout must end the read. */
  @Test
  void aServerThatNeverAnswersEndsAtTheTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                .withRequestRetryBackoffLimit(0).build()).build()) {
      Thread acceptor = new Thread(() -> {
        List<java.net.Socket> held = new ArrayList<>();
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (java.io.IOException e) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      ClusterSource.Result r = new ClusterSource(c.getHttpClient(), "http://127.0.0.1:" + silent.getLocalPort(), "slow",
          new ClusterSource.Options(List.of(), Set.of(), Duration.ofSeconds(2), 500, 2)).read(Progress.NONE);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isBetween(1_500L, 6_000L);
      assertThat(r.errors()).extracting(Diagnostic::display)
          .containsExactly("cluster/slow: cannot read the cluster at http://127.0.0.1:" + silent.getLocalPort()
              + ": timed out after 2 s (--timeout)");
    }
  }
}

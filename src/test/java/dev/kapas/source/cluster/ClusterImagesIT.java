package dev.kapas.source.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.source.image.TestImages;
import dev.kapas.testing.KubeApiServer;
import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kapas cluster --images} against a real kube-apiserver (with etcd, started by
 * ../shared/tools/kube-apiserver/start.sh) and a real registry that asks for a login (Debian's
 * docker-registry with htpasswd, on 127.0.0.1): pods pull with their own image pull secrets and
 * their ServiceAccount's, read from the cluster with one GET each and never printed; a pod
 * without credentials gets the registry's refusal as an input error naming it.
 */
class ClusterImagesIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "pull-s3cret-never-printed";
  @TempDir
  Path tmp;

  private static final String OBJECTS = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: regcred, namespace: shop}
      type: kubernetes.io/dockerconfigjson
      data:
        .dockerconfigjson: CONFIG
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: builder, namespace: shop}
      imagePullSecrets: [{name: regcred}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            serviceAccountName: builder
            containers:
            - {name: app, image: HOST/team/root:1}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: direct, namespace: shop}
      spec:
        imagePullSecrets: [{name: regcred}, {name: missing}]
        securityContext: {runAsNonRoot: true}
        containers:
        - {name: app, image: HOST/team/root:1}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: anon, namespace: shop}
      spec:
        containers:
        - {name: app, image: HOST/team/root:1}
      """;

  @Test
  void pullSecretsOfPodsAndServiceAccounts() throws Exception {
    LocalRegistry.require();
    KubeApiServer.assumeBuilt();
    String hash = LocalRegistry.run("htpasswd", "-Bbn", "puller", PASSWORD).strip();
    java.nio.file.Files.writeString(tmp.resolve("htpasswd"), hash + "\n");
    Map<String, String> server = null;
    try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), "",
        "auth:\n  htpasswd:\n    realm: kapas-test\n    path: " + tmp.resolve("htpasswd") + "\n")) {
      String host = registry.host();
      TestImages.writeSmall(tmp.resolve("root"), "", "root");
      registry.push(tmp.resolve("root"), "team/root:1", "--dest-creds", "puller:" + PASSWORD);
      String auth = Base64.getEncoder().encodeToString(("puller:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      String config = "{\"auths\":{\"http://" + host + "\":{\"auth\":\"" + auth + "\"}}}";
      server = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
      Path kubeconfig = Path.of(server.get("KUBECONFIG"));
      KubeApiServer.create(server, OBJECTS.replace("HOST", host).replace("CONFIG",
          Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))));
      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "cluster", "--kubeconfig", kubeconfig.toString(),
          "-n", "shop", "--images", "--insecure-registry", host, "--image-cache", tmp.resolve("cache").toString(),
          "--rules", "container.image-runs-as-root", "-f", "json");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
      assertThat(r.out() + r.err()).doesNotContain(PASSWORD).doesNotContain(auth);
      JsonNode report = JSON.readTree(r.out());
      List<String> found = new ArrayList<>();
      for (JsonNode f : report.get("findings")) {
        found.add(f.get("object").get("kind").asString() + "/" + f.get("object").get("name").asString() + " "
            + f.get("location").get("path").asString());
      }
      // web pulled with its ServiceAccount's secret; direct with its own, and runAsNonRoot silences it
      assertThat(found).containsExactly("Deployment/web spec.template.spec.containers[0].image");
      List<String> errors = new ArrayList<>();
      report.get("errors").forEach(e -> errors.add(e.get("message").asString()));
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0)).startsWith("image " + host + "/team/root:1 (container `app` of Pod/shop/anon): ")
          .contains("HTTP 401");
      List<String> notes = new ArrayList<>();
      report.get("notes").forEach(n -> notes.add(n.get("message").asString()));
      assertThat(notes).anyMatch(n -> n.startsWith("image pull secret shop/missing: ") && n.contains("404"));
    } finally {
      if (server != null) {
        KubeApiServer.stop(server);
      }
    }
  }
}

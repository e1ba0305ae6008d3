package dev.kapas.cli;

import static dev.kapas.testing.WorkloadFindings.findings;
import static dev.kapas.testing.WorkloadFindings.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.source.image.TestImages;
import dev.kapas.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kapas scan --images} against a real registry (Debian's docker-registry on 127.0.0.1,
 * images assembled here and pushed with skopeo): findings about images land on the workloads at
 * their image lines, the pod's own user settings win, each digest is pulled once, the cache spares
 * the second run every blob, and an image that cannot be read is an input error naming it and its
 * workload while the rest is scanned.
 */
class ScanImagesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  @TempDir
  Path tmp;

  private static final String MANIFESTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          spec:
            initContainers:
            - name: init
              image: HOST/team/root@ROOT_DIGEST
            containers:
            - name: app
              image: HOST/team/root:1
            - name: side
              image: HOST/team/app:1
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata:
        name: nightly
        namespace: shop
        annotations: {kapas.dev/ignore: "container.image-runs-as-root: the entrypoint drops to nobody"}
      spec:
        schedule: "@daily"
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                - name: job
                  image: HOST/team/root:2
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: safe, namespace: shop}
      spec:
        securityContext: {runAsNonRoot: true}
        containers:
        - name: app
          image: HOST/team/root:1
        ephemeralContainers:
        - name: debug
          image: HOST/team/sample:1
          securityContext: {runAsUser: 0}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: uid, namespace: shop}
      spec:
        containers:
        - name: app
          image: HOST/team/root:1
          securityContext: {runAsUser: 1000}
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: gone, namespace: shop}
      spec:
        template:
          spec:
            containers:
            - name: db
              image: HOST/team/nothing:1
      """;

  @Test
  void imagesBehindWorkloads() throws Exception {
    LocalRegistry.require();
    try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), "", "")) {
      String host = registry.host();
      String rootDigest = TestImages.writeSmall(tmp.resolve("root"), "", "root");
      registry.push(tmp.resolve("root"), "team/root:1");
      registry.push(tmp.resolve("root"), "team/root:2");
      TestImages.writeSmall(tmp.resolve("app"), "1000", "app");
      registry.push(tmp.resolve("app"), "team/app:1");
      TestImages.writeSample(tmp.resolve("sample"));
      registry.push(tmp.resolve("sample"), "team/sample:1");
      String yaml = MANIFESTS.replace("HOST", host).replace("ROOT_DIGEST", rootDigest);
      Path file = tmp.resolve("app.yaml");
      Files.writeString(file, yaml);
      Path cache = tmp.resolve("cache");
      String[] args = {"scan", file.toString(), "--images", "--insecure-registry", host, "--image-cache",
          cache.toString(), "--progress", "--rules", "container.image-*,code.hardcoded-secret", "-f", "json"};

      CliRun cold = CliRun.run(false, Map.of("HOME", tmp.toString()), args);
      assertThat(cold.exitCode()).as(cold.err()).isEqualTo(3);
      JsonNode report = JSON.readTree(cold.out());
      assertThat(findings(report, "container.image-runs-as-root")).containsExactlyInAnyOrder(
          "Deployment/web:" + lineOf(yaml, "image: " + host + "/team/root@", 0)
              + " spec.template.spec.initContainers[0].image",
          "Deployment/web:" + lineOf(yaml, "image: " + host + "/team/root:1", 0) + " spec.template.spec.containers[0].image",
          "CronJob/nightly:" + lineOf(yaml, "team/root:2", 0) + " spec.jobTemplate.spec.template.spec.containers[0].image",
          "Pod/safe:" + lineOf(yaml, "team/sample:1", 0) + " spec.ephemeralContainers[0].image");
      // the workload's own kapas.dev/ignore applies to the findings about its image
      for (JsonNode f : report.get("findings")) {
        String kind = f.get("object").get("kind").asString();
        if (f.get("ruleId").asString().equals("container.image-runs-as-root")) {
          assertThat(f.get("status").asString()).as(kind).isEqualTo(kind.equals("CronJob") ? "suppressed" : "fail");
        }
      }
      assertThat(findings(report, "container.image-ssh-server")).isNotEmpty()
          .allMatch(f -> f.startsWith("Pod/safe:" + lineOf(yaml, "team/sample:1", 0) + " "));
      assertThat(findings(report, "code.hardcoded-secret")).isNotEmpty().allMatch(f -> f.startsWith("Pod/safe:"));
      assertThat(cold.out()).doesNotContain("AKIAQ4BXR7ZWJ3KL9PT2")
          .contains("image " + host + "/team/root:2 sets no user (config.User is empty), so it runs as root "
              + "(container `job`)");
      // the unreadable image names itself and its workload, at its line; the others were scanned
      JsonNode errors = report.get("errors");
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).get("line").asInt()).isEqualTo(lineOf(yaml, "team/nothing:1", 0));
      assertThat(errors.get(0).get("message").asString()).startsWith("image " + host + "/team/nothing:1 "
          + "(container `db` of StatefulSet/shop/gone): ").contains("not found (HTTP 404)");
      // three distinct digests, each pulled once, however many references and containers name them
      assertThat(cold.err().lines().filter(l -> l.endsWith(": pulling"))).hasSize(3);
      long coldBlobs = registry.blobGets();
      assertThat(coldBlobs).as("config and layers of each image: sample 1 + 2, root 1 + 1, app 1 + 1").isEqualTo(7);

      CliRun warm = CliRun.run(false, Map.of("HOME", tmp.toString()), args);
      assertThat(warm.exitCode()).as(warm.err()).isEqualTo(3);
      assertThat(registry.blobGets()).as("the second run reads no blob").isEqualTo(coldBlobs);
      assertThat(warm.err().lines().filter(l -> l.endsWith(": from the cache"))).hasSize(3);
      JsonNode again = JSON.readTree(warm.out());
      assertThat(again.get("findings")).isEqualTo(report.get("findings"));
      assertThat(Files.list(cache).filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(3);
    }
  }

  @Test
  void imageOptionsNeedImages() {
    CliRun r = CliRun.run("scan", CliRun.WORKLOADS, "--image-concurrency", "2");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("go with --images");
    CliRun zero = CliRun.run("scan", CliRun.WORKLOADS, "--images", "--image-concurrency", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--image-concurrency must be at least 1");
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kustomize trees in src/test/resources/kustomize, built in-process. The expected objects are what
 * `kubectl kustomize` (kubectl v1.32.4, kustomize v5.5.0, the one on this machine) printed for
 * the same trees: `namespace` sets metadata.namespace on namespaced objects only; an `images`
 * entry matches a container image by name and replaces its name, tag and digest; a strategic merge
 * patch merges containers by name, its items first in its order; a `patches` target selects by
 * kind and name regex, and the patch's own name is a placeholder.
 */
class KustomizeTest {
  private static final String TREES = "src/test/resources/kustomize/";
  private static final String BASE = TREES + "app/base/";
  private static final String PROD = TREES + "app/overlays/prod/";

  @Test
  void overlayIsBuiltWithItsBasePatchesNamespaceAndImages() {
    ManifestSource.Result read = read(TREES + "app/overlays/prod");
    assertThat(read.errors()).isEmpty();
    assertThat(read.objects()).extracting(o -> o.ref().display())
        .containsExactly("Deployment/prod/web", "ClusterRole/web-reader");
    KubeObject web = read.objects().get(0);
    // the object keeps the resource file's lines; what a patch set points at the patch
    assertThat(web.origin().file()).isEqualTo(BASE + "deployment.yaml");
    assertThat(web.origin().line()).isEqualTo(1);
    Field pod = Field.root(web.root()).path("spec", "template", "spec");
    // the strategic merge patch merges `web` by name and adds `debug`, in the patch's order
    assertThat(pod.get("containers").node().items()).extracting(c -> c.get("name").textOr(""))
        .containsExactly("web", "debug");
    Field debug = pod.get("containers").get(1);
    assertThat(debug.get("image").node().textOr("")).isEqualTo("mirror.example.com/busybox@sha256:" + "0".repeat(64));
    assertThat(web.fileOf(debug.path("securityContext", "privileged"))).isEqualTo(PROD + "security.yaml");
    assertThat(debug.path("securityContext", "privileged").line()).isEqualTo(15);
    Field webContainer = pod.get("containers").get(0);
    assertThat(webContainer.get("image").node().textOr("")).isEqualTo("registry.example.com/shop/web:1.4.2");
    assertThat(web.fileOf(webContainer.get("image"))).isEqualTo(BASE + "deployment.yaml");
    assertThat(webContainer.get("image").line()).isEqualTo(14);
    assertThat(webContainer.path("securityContext", "privileged").node().isFalse()).isTrue();
    assertThat(web.fileOf(webContainer.path("securityContext", "privileged"))).isEqualTo(PROD + "security.yaml");
    assertThat(pod.get("initContainers").get(0).get("image").node().textOr(""))
        .isEqualTo("mirror.example.com/busybox@sha256:" + "0".repeat(64));
    // a `patches` entry with a target: the patch's own name is a placeholder
    assertThat(pod.get("serviceAccountName").node().textOr("")).isEqualTo("web");
    assertThat(web.fileOf(pod.get("serviceAccountName"))).isEqualTo(PROD + "service-account.yaml");
    assertThat(read.objects().get(1).namespace()).as("cluster-scoped: no namespace").isEmpty();
  }

  @Test
  void aTreeWithABaseAndAnOverlayIsScannedAsTheOverlay() {
    CliRun run = CliRun.run("scan", TREES + "app", "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    // the overlay's objects only: the base is built as its part, not again on its own; the
    // overlay's notes.yaml is not a resource, patches and kustomization.yaml are not objects;
    // the finding is the patched-in container's, at the patch's line
    assertThat(run.out()).contains("Deployment/prod/web").contains(PROD + "security.yaml:15")
        .doesNotContain(BASE + "deployment.yaml:16").doesNotContain("Deployment/web ")
        .doesNotContain("not-a-resource").doesNotContain("not-important").doesNotContain("is defined again");
  }

  @Test
  void aFieldAJsonPatchAddedPointsAtThePatch() {
    CliRun run = CliRun.run("scan", TREES + "json6902", "--rules", "container.host-namespaces,cluster.privileged-container");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    // hostNetwork comes from the patch's `value:` line; the removed privileged securityContext is gone
    assertThat(run.out()).contains("container.host-namespaces").contains(TREES + "json6902/host-network.yaml:3")
        .doesNotContain("cluster.privileged-container");
  }

  @Test
  void unsupportedFieldsAndRemoteBasesAreInputErrorsAtTheirLines() {
    CliRun run = CliRun.run("scan", TREES + "unsupported", "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(3);
    String file = TREES + "unsupported/kustomization.yaml";
    assertThat(run.out())
        .contains(file + ":3:3: remote resource `https://github.com/example/repo//base?ref=v1` is not fetched")
        .contains(file + ":4:1: kustomize `vars` is not supported by kapas yet")
        // the rest of the build is scanned
        .contains("Pod/p").contains(TREES + "unsupported/pod.yaml:6");
    assertThat(run.err()).doesNotContain("Exception");
  }

  private static final String FULL = TREES + "full/";

  @Test
  void prefixSuffixGeneratorsLabelsComponentsAndInlinePatchesKeepTheirOrigins() {
    ManifestSource.Result read = read(FULL + "overlays/prod");
    assertThat(read.errors()).isEmpty();
    // the kustomization files, the component and the generators' sources are no objects of their own
    assertThat(read.objects()).extracting(o -> o.ref().display()).containsExactlyInAnyOrder(
        "Deployment/prod/prod-shop-v2", "Service/prod/prod-shop-v2", "ServiceAccount/prod/prod-shop-v2",
        "ConfigMap/prod/prod-app-config-v2-27fh76tk24", "Secret/prod/prod-db-v2-ckkk2d565f",
        "ConfigMap/prod/prod-flags-v2");
    KubeObject config = object(read, "ConfigMap/prod/prod-app-config-v2-27fh76tk24");
    // a generated object's origin is its generator's entry; a literal's value is at its line
    assertThat(config.origin().file()).isEqualTo(FULL + "base/kustomization.yaml");
    assertThat(config.origin().line()).isEqualTo(8);
    Field data = Field.root(config.root()).get("data");
    assertThat(data.get("LOG_LEVEL").line()).isEqualTo(10);
    assertThat(config.fileOf(data.get("LOG_LEVEL"))).isEqualTo(FULL + "base/kustomization.yaml");
    assertThat(config.fileOf(data.get("settings.properties"))).isEqualTo(FULL + "base/settings.properties");
    KubeObject secret = object(read, "Secret/prod/prod-db-v2-ckkk2d565f");
    Field secretData = Field.root(secret.root()).get("data");
    assertThat(secret.fileOf(secretData.get("DB_HOST"))).isEqualTo(FULL + "base/db.env");
    assertThat(secretData.get("DB_HOST").line()).isEqualTo(4);
    KubeObject web = object(read, "Deployment/prod/prod-shop-v2");
    Field pod = Field.root(web.root()).path("spec", "template", "spec");
    // references follow the renamed and hashed objects
    assertThat(pod.get("serviceAccountName").node().textOr("")).isEqualTo("prod-shop-v2");
    assertThat(pod.get("volumes").get(0).path("configMap", "name").node().textOr(""))
        .isEqualTo("prod-app-config-v2-27fh76tk24");
    assertThat(pod.get("volumes").get(1).path("secret", "secretName").node().textOr(""))
        .isEqualTo("prod-db-v2-ckkk2d565f");
    // the component's inline patch: its container points at the component's kustomization line
    Field debug = pod.get("containers").get(0);
    assertThat(debug.get("name").node().textOr("")).isEqualTo("debug");
    assertThat(web.fileOf(debug.path("securityContext", "privileged"))).isEqualTo(FULL + "components/debug/kustomization.yaml");
    assertThat(debug.path("securityContext", "privileged").line()).isEqualTo(16);
    // the overlay's inline strategic merge patch and inline JSON patch
    assertThat(web.fileOf(pod.get("hostNetwork"))).isEqualTo(FULL + "overlays/prod/kustomization.yaml");
    assertThat(pod.get("hostNetwork").line()).isEqualTo(37);
    Field replicas = Field.root(web.root()).path("spec", "replicas");
    assertThat(replicas.node().textOr("")).isEqualTo("3");
    assertThat(web.fileOf(replicas)).isEqualTo(FULL + "overlays/prod/kustomization.yaml");
    assertThat(replicas.line()).isEqualTo(27);
    // labels: commonLabels reach the selector; `labels` with includeTemplates the template, not the selector
    Field selector = Field.root(web.root()).path("spec", "selector", "matchLabels");
    assertThat(KubeObject.stringMap(selector.node())).containsOnlyKeys("app", "component");
    Field templateLabels = Field.root(web.root()).path("spec", "template", "metadata", "labels");
    assertThat(KubeObject.stringMap(templateLabels.node())).containsEntry("env", "prod").containsEntry("app", "shop");
    assertThat(web.fileOf(templateLabels.get("env"))).isEqualTo(FULL + "overlays/prod/kustomization.yaml");
    assertThat(web.fileOf(templateLabels.get("component"))).isEqualTo(FULL + "base/deployment.yaml");
  }

  @Test
  void aTreeWithComponentsIsScannedAsItsOverlayAndGeneratedSecretsAreNeverPrinted() {
    CliRun run = CliRun.run("scan", FULL, "--no-color");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("6 objects")
        .contains("Deployment/prod/prod-shop-v2  " + FULL + "components/debug/kustomization.yaml:16")
        .contains(FULL + "overlays/prod/kustomization.yaml:37")
        .contains("Secret/prod/prod-db-v2-ckkk2d565f")
        .doesNotContain("Deployment/shop").doesNotContain("is defined again")
        .doesNotContain("s3cr3t-Pa55word-xyz").doesNotContain("czNjcjN0LVBhNTV3b3JkLXh5eg");
    CliRun json = CliRun.run("scan", FULL, "-f", "json");
    assertThat(json.out()).contains("prod-db-v2-ckkk2d565f")
        .doesNotContain("s3cr3t-Pa55word-xyz").doesNotContain("czNjcjN0LVBhNTV3b3JkLXh5eg");
  }

  @Test
  void generatorAndPatchMistakesAreInputErrorsAtTheirLines() {
    CliRun run = CliRun.run("scan", TREES + "mistakes", "--no-color");
    assertThat(run.exitCode()).isEqualTo(3);
    String file = TREES + "mistakes/kustomization.yaml";
    assertThat(run.out())
        .contains(file + ":4:7: a literal is KEY=VALUE; this is not")
        .contains(file + ":6:3: generator `base-config` has behavior `merge` but no ConfigMap of that name comes from a base")
        .contains(TREES + "mistakes/only-key.env:2:1: `TOKEN` has no `=VALUE`")
        .contains(file + ":13:3: `../references` is listed in components but is not a Component")
        // the rest is scanned
        .containsPattern("kapas \\S+: 1 object, ");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void aMergedGeneratorAndReplicasPointAtTheOverlay() {
    String overlay = TREES + "generators/overlay/kustomization.yaml";
    ManifestSource.Result read = read(TREES + "generators/overlay");
    assertThat(read.errors()).isEmpty();
    // the base's generator is the origin; the value the overlay merged in is at the overlay's line
    KubeObject app = object(read, "ConfigMap/app-blue-2tc827d68c");
    assertThat(app.origin().file()).isEqualTo(TREES + "generators/base/kustomization.yaml");
    Field mode = Field.root(app.root()).path("data", "MODE");
    assertThat(mode.node().textOr("")).isEqualTo("overlay");
    assertThat(app.fileOf(mode)).isEqualTo(overlay);
    assertThat(mode.line()).isEqualTo(12);
    assertThat(app.fileOf(Field.root(app.root()).path("data", "KEEP"))).isEqualTo(TREES + "generators/base/kustomization.yaml");
    KubeObject web = object(read, "StatefulSet/web-blue");
    Field replicas = Field.root(web.root()).path("spec", "replicas");
    assertThat(replicas.node().textOr("")).isEqualTo("4");
    assertThat(web.fileOf(replicas)).isEqualTo(overlay);
    assertThat(replicas.line()).isEqualTo(35);
    // the Ingress's TLS secret and backend follow the renamed Secret and Service
    KubeObject ingress = object(read, "Ingress/web-blue");
    assertThat(Field.root(ingress.root()).path("spec", "tls").get(0).get("secretName").node().textOr(""))
        .isEqualTo("tls-blue-hm26c8gt96");
  }

  private static KubeObject object(ManifestSource.Result read, String display) {
    return read.objects().stream().filter(o -> o.ref().display().equals(display)).findFirst()
        .orElseThrow(() -> new AssertionError(display + " not among " + read.objects()));
  }

  @Test
  void aCycleOfBasesIsAnErrorNotAHang() {
    CliRun run = CliRun.run("scan", TREES + "cycle");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).containsPattern(TREES + "cycle/[ab]/kustomization.yaml:2:3: resource `../[ab]` is a "
        + "kustomization that includes this one: a cycle");
  }

  private static ManifestSource.Result read(String path) {
    return new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(path), Progress.NONE);
  }
}

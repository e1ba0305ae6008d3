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
        .contains(file + ":4:1: kustomize `namePrefix` is not supported by kapas yet")
        // the rest of the build is scanned
        .contains("Pod/p").contains(TREES + "unsupported/pod.yaml:6");
    assertThat(run.err()).doesNotContain("Exception");
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

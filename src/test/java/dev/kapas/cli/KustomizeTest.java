package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.KubeObject;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kustomize trees in src/test/resources/kustomize, built in-process. The expected objects follow
 * kustomize's documented behaviour (kubectl.docs.kubernetes.io, the namespace and images
 * transformers): `namespace` sets metadata.namespace on namespaced objects only; an `images`
 * entry matches a container image by name and replaces its name, tag and digest. No kubectl with
 * `kustomize` could be installed here to serve as an oracle.
 */
class KustomizeTest {
  private static final String TREES = "src/test/resources/kustomize/";
  private static final String BASE = TREES + "app/base/";

  @Test
  void overlayIsBuiltWithItsBaseNamespaceAndImages() {
    ManifestSource.Result read = read(TREES + "app/overlays/prod");
    assertThat(read.errors()).isEmpty();
    assertThat(read.objects()).extracting(o -> o.ref().display())
        .containsExactly("Deployment/prod/web", "ClusterRole/web-reader");
    KubeObject web = read.objects().get(0);
    // the object and its fields keep the resource file's lines
    assertThat(web.origin().file()).isEqualTo(BASE + "deployment.yaml");
    assertThat(web.origin().line()).isEqualTo(1);
    var pod = web.root().path("spec", "template", "spec");
    assertThat(pod.get("containers").get(0).get("image").textOr("")).isEqualTo("registry.example.com/shop/web:1.4.2");
    assertThat(pod.get("containers").get(0).get("image").line()).isEqualTo(14);
    assertThat(pod.get("initContainers").get(0).get("image").textOr(""))
        .isEqualTo("mirror.example.com/busybox@sha256:" + "0".repeat(64));
    assertThat(read.objects().get(1).namespace()).as("cluster-scoped: no namespace").isEmpty();
  }

  @Test
  void aTreeWithABaseAndAnOverlayIsScannedAsTheOverlay() {
    CliRun run = CliRun.run("scan", TREES + "app", "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    // the overlay's objects only: the base is built as its part, not again on its own; the
    // overlay's notes.yaml is not a resource, and no kustomization.yaml is an object
    assertThat(run.out()).contains("Deployment/prod/web").contains(BASE + "deployment.yaml:16")
        .doesNotContain("Deployment/web ").doesNotContain("not-a-resource").doesNotContain("is defined again");
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

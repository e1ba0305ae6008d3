package dev.kapas.source.image.sign;

import static dev.kapas.testing.WorkloadFindings.findings;
import static dev.kapas.testing.WorkloadFindings.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kapas scan --images --key} and {@code imagePolicy:} against a real registry (Debian's
 * docker-registry on 127.0.0.1): signatures made by OpenSSL, cosign's manifests written by hand
 * ({@link Cosign}) and pushed by skopeo; the signature findings land on the workloads at the
 * containers' image lines, like the other image findings.
 */
class WorkloadSignaturesTest {
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
            containers:
            - name: app
              image: HOST/team/signed:1
            - name: side
              image: HOST/team/unsigned:1
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: tool, namespace: shop}
      spec:
        containers:
        - name: tool
          image: HOST/team/other-key:1
        - name: copy
          image: HOST/team/copied:1
        - name: again
          image: HOST/team/signed:1
      """;

  @Test
  void keysAndPolicyOnTheWorkloadsImages() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
      String host = registry.host();
      Cosign cosign = new Cosign(tmp);
      Path p256 = cosign.key("p256", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
      Path p384 = cosign.key("p384", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384");
      String signed = push(registry, "team/signed", "signed by p256");
      push(registry, "team/unsigned", "never signed");
      String otherKey = push(registry, "team/other-key", "signed by p384");
      String copied = push(registry, "team/copied", "carries the signature of team/signed");
      String p = Cosign.payload(host + "/team/signed", signed);
      String signature = cosign.sign(p256, p, "sha256");
      signatureTag(registry, "team/signed", signed, p, signature);
      signatureTag(registry, "team/copied", copied, p, signature);
      String q = Cosign.payload(host + "/team/other-key", otherKey);
      signatureTag(registry, "team/other-key", otherKey, q, cosign.sign(p384, q, "sha384"));
      String yaml = MANIFESTS.replace("HOST", host);
      Path file = Files.writeString(tmp.resolve("app.yaml"), yaml);
      int tool = lineOf(yaml, "name: tool", 0);

      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "scan", file.toString(), "--images",
          "--insecure-registry", host, "--no-image-cache", "--key", Cosign.pub(p256).toString(), "--rules",
          "container.image-unsigned,container.image-signature-invalid", "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      JsonNode report = JSON.readTree(r.out());
      assertThat(findings(report, "container.image-unsigned")).containsExactly(
          "Deployment/web:" + lineOf(yaml, "team/unsigned:1", 0) + " spec.template.spec.containers[1].image");
      assertThat(findings(report, "container.image-signature-invalid")).containsExactlyInAnyOrder(
          "Pod/tool:" + lineOf(yaml, "team/other-key:1", 0) + " spec.containers[0].image",
          "Pod/tool:" + lineOf(yaml, "team/copied:1", tool) + " spec.containers[1].image");
      assertThat(r.out()).contains("policy --key wants one by " + Cosign.pub(p256) + " (container `side`)",
          "it signs another image, " + signed + ", not this image's digest " + copied,
          "does not verify with the key " + Cosign.pub(p256));
      assertThat(report.get("errors")).isEmpty();

      // the same images against .kapas.yaml: one entry for team/signed, every other image must match one
      Path config = Files.writeString(tmp.resolve("policy.yaml"), "requireSignatures: true\nimagePolicy:\n"
          + "  - name: signed-only\n    images: \"" + host + "/team/signed:*\"\n    keys: [" + Cosign.pub(p256) + "]\n"
          + "  - name: tools\n    images: \"" + host + "/team/other-key:*\"\n    keys: [" + Cosign.pub(p384) + "]\n");
      CliRun policy = CliRun.run(false, Map.of("HOME", tmp.toString()), "scan", file.toString(), "--images",
          "--insecure-registry", host, "--no-image-cache", "--config", config.toString(), "--rules",
          "container.image-unsigned,container.image-signature-invalid", "-f", "json");
      assertThat(policy.exitCode()).as(policy.out() + policy.err()).isEqualTo(1);
      JsonNode byPolicy = JSON.readTree(policy.out());
      assertThat(findings(byPolicy, "container.image-unsigned")).containsExactlyInAnyOrder(
          "Deployment/web:" + lineOf(yaml, "team/unsigned:1", 0) + " spec.template.spec.containers[1].image",
          "Pod/tool:" + lineOf(yaml, "team/copied:1", tool) + " spec.containers[1].image");
      assertThat(findings(byPolicy, "container.image-signature-invalid")).isEmpty();
      assertThat(policy.out()).contains("matches no imagePolicy entry, and requireSignatures is true (container `copy`)",
          "\"policy\" : \"tools\"", "\"policy\" : \"signed-only\"");
    }
  }

  @Test
  void keyNeedsImagesAndAPublicKey() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx}\n");
    Path pub = Files.writeString(tmp.resolve("k.pub"), "not a key\n");
    CliRun without = CliRun.run(false, Map.of("HOME", tmp.toString()), "scan", manifest.toString(), "--key",
        pub.toString());
    assertThat(without.exitCode()).isEqualTo(2);
    assertThat(without.err()).contains("--key go with --images");
    CliRun bad = CliRun.run(false, Map.of("HOME", tmp.toString()), "scan", manifest.toString(), "--images", "--key",
        pub.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("kapas scan: --key " + pub + ": no PEM block in it");
  }

  /** Pushes a one-file image to {@code repository:1}; its digest. */
  private String push(LocalRegistry registry, String repository, String text) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String digest = layout.image(text, "img");
    registry.pushTag(layout.dir(), "img", repository + ":1");
    return digest;
  }

  private void signatureTag(LocalRegistry registry, String repository, String digest, String payload,
      String signature) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_') + "-sig"));
    Cosign.signatureManifest(layout, "sig", null, payload, signature);
    registry.pushTag(layout.dir(), "sig", repository + ":sha256-" + digest.substring(7) + ".sig");
  }
}

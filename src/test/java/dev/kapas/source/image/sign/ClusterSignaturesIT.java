package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.KubeApiServer;
import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code kapas cluster --images --key} against a real kube-apiserver (../shared/tools/kube-apiserver)
 * and a real registry that asks for a login (Debian's docker-registry with htpasswd on
 * 127.0.0.1): the signatures are looked up with the pod's image pull secret, as the image was,
 * and the findings land on the workloads at their image fields. Signatures by OpenSSL, cosign's
 * manifests written by hand ({@link Cosign}) and pushed by skopeo.
 */
class ClusterSignaturesIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "sig-pull-s3cret";
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
      kind: Pod
      metadata: {name: web, namespace: shop}
      spec:
        imagePullSecrets: [{name: regcred}]
        containers:
        - {name: signed, image: HOST/team/signed:1}
        - {name: unsigned, image: HOST/team/unsigned:1}
      """;

  @Test
  void signaturesLookedUpWithThePodsPullSecret() throws Exception {
    LocalRegistry.require();
    KubeApiServer.assumeBuilt();
    String hash = LocalRegistry.run("htpasswd", "-Bbn", "puller", PASSWORD).strip();
    Files.writeString(tmp.resolve("htpasswd"), hash + "\n");
    Map<String, String> server = null;
    try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), "",
        "auth:\n  htpasswd:\n    realm: kapas-test\n    path: " + tmp.resolve("htpasswd") + "\n")) {
      String host = registry.host();
      String creds = "--dest-creds=puller:" + PASSWORD;
      Cosign cosign = new Cosign(tmp);
      Path key = cosign.key("p256", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
      OciLayout signed = new OciLayout(tmp.resolve("signed"));
      String digest = signed.image("signed", "img");
      registry.pushTag(signed.dir(), "img", "team/signed:1", creds);
      OciLayout unsigned = new OciLayout(tmp.resolve("unsigned"));
      unsigned.image("unsigned", "img");
      registry.pushTag(unsigned.dir(), "img", "team/unsigned:1", creds);
      String payload = Cosign.payload(host + "/team/signed", digest);
      OciLayout sig = new OciLayout(tmp.resolve("sig"));
      Cosign.signatureManifest(sig, "sig", null, payload, cosign.sign(key, payload, "sha256"));
      registry.pushTag(sig.dir(), "sig", "team/signed:sha256-" + digest.substring(7) + ".sig", creds);

      String auth = Base64.getEncoder().encodeToString(("puller:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      String config = "{\"auths\":{\"http://" + host + "\":{\"auth\":\"" + auth + "\"}}}";
      server = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
      Path kubeconfig = Path.of(server.get("KUBECONFIG"));
      KubeApiServer.create(server, OBJECTS.replace("HOST", host).replace("CONFIG",
          Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))));
      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "cluster", "--kubeconfig", kubeconfig.toString(),
          "-n", "shop", "--images", "--insecure-registry", host, "--no-image-cache", "--key",
          Cosign.pub(key).toString(), "--rules", "container.image-unsigned,container.image-signature-invalid",
          "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out() + r.err()).doesNotContain(PASSWORD).doesNotContain(auth);
      JsonNode report = JSON.readTree(r.out());
      List<String> found = new ArrayList<>();
      for (JsonNode f : report.get("findings")) {
        found.add(f.get("ruleId").asString() + " " + f.get("object").get("kind").asString() + "/"
            + f.get("object").get("name").asString() + " " + f.get("location").get("path").asString());
      }
      assertThat(found).containsExactly("container.image-unsigned Pod/web spec.containers[1].image");
      assertThat(report.get("errors")).isEmpty();
      assertThat(r.out()).contains("\"signed\" : true", "\"key\" : \"" + Cosign.pub(key) + "\"");
    } finally {
      if (server != null) {
        KubeApiServer.stop(server);
      }
    }
  }
}

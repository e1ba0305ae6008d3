package dev.kapas.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.source.image.ImageRef;
import dev.kapas.source.image.sign.ImagePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagePolicy:} and {@code requireSignatures:} in .kapas.yaml: read, and every mistake at its line. */
class ImagePolicyConfigTest {
  private static final String KEY = "-----BEGIN PUBLIC KEY-----\n"
      + "MCowBQYDK2VwAyEA65in1e+NY/+NCwAi06gg8Pw1BqkrNDRJqjhGFhTO7b0=\n-----END PUBLIC KEY-----\n";
  @TempDir
  Path tmp;

  private Config load(String yaml) throws ConfigException {
    Path file = tmp.resolve(".kapas.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return new ConfigLoader(RuleCatalog.builtIn()).load(file);
  }

  private ConfigException error(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> load(yaml));
  }

  @Test
  void entriesWithKeyFilesBesideTheConfig() throws Exception {
    Files.writeString(tmp.resolve("team.pub"), KEY);
    Config c = load("requireSignatures: true\nimagePolicy:\n  - name: team\n    images: \"registry.example/team/**\"\n"
        + "    keys: [team.pub]\n  - images: [\"*\", {glob: \"ghcr.io/org/*\"}]\n    keys:\n      - |\n"
        + KEY.indent(8) + "    attestations: [https://slsa.dev/provenance/v1]\n");
    ImagePolicy p = c.imagePolicy();
    assertThat(p.requireSignatures()).isTrue();
    assertThat(p.entries()).extracting(ImagePolicy.Entry::name).containsExactly("team", "imagePolicy[1]");
    assertThat(p.entries().get(0).keys().get(0).name()).isEqualTo("team.pub");
    assertThat(p.entries().get(1).images()).containsExactly("*", "ghcr.io/org/*");
    assertThat(p.entries().get(1).attestations()).containsExactly("https://slsa.dev/provenance/v1");
    ImageRef busybox = ImageRef.parse("busybox").orElseThrow();
    assertThat(p.matching(busybox, "busybox")).extracting(ImagePolicy.Entry::name).containsExactly("imagePolicy[1]");
    assertThat(load("failOn: high\n").imagePolicy().isEmpty()).isTrue();
  }

  @Test
  void mistakesNameTheirLine() {
    ConfigException missing = error("imagePolicy:\n  - name: team\n    images: \"**\"\n    keys: [nowhere.pub]\n");
    assertThat(missing.line()).isEqualTo(4);
    assertThat(missing.getMessage()).startsWith("team.keys: nowhere.pub: cannot read the key file");
    ConfigException glob = error("imagePolicy:\n  - images: \"registry.example/[a-z]+\"\n    keys: [x.pub]\n");
    assertThat(glob.line()).isEqualTo(2);
    assertThat(glob.getMessage()).contains("imagePolicy[0].images: `registry.example/[a-z]+` is not a glob");
    assertThat(error("imagePolicy:\n  - images: \"**\"\n").getMessage()).contains("imagePolicy[0]: no `keys`")
        .contains("and no `keyless`");
    assertThat(error("imagePolicy:\n  - keys: [x.pub]\n").getMessage()).contains("no `images` glob");
    assertThat(error("imagePolicy:\n  - images: \"**\"\n    keyz: [x.pub]\n").getMessage())
        .contains("unknown imagePolicy key `keyz`");
    assertThat(error("requireSignatures: yes please\n").getMessage()).isEqualTo("requireSignatures: expected true or false");
    ConfigException keyless = error("imagePolicy:\n  - images: \"**\"\n    keyless: {issuer: https://accounts.google.com}\n");
    assertThat(keyless.line()).isEqualTo(3);
    assertThat(keyless.getMessage()).contains("imagePolicy[0].keyless: no `trustedRoot`");
  }

  @Test
  void keylessEntries() throws Exception {
    Path ca = tmp.resolve("ca.pem");
    dev.kapas.testing.LocalRegistry.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", tmp.resolve("ca.key").toString(), "-subj", "/CN=test fulcio",
        "-days", "2", "-out", ca.toString());
    String der = java.util.Base64.getEncoder().encodeToString(java.util.Base64.getMimeDecoder().decode(
        Files.readString(ca).replaceAll("-----[A-Z ]+-----", "")));
    String key = KEY.replaceAll("-----[A-Z ]+-----|\\s", "");
    Files.writeString(tmp.resolve("trusted_root.json"), "{\"tlogs\":[{\"publicKey\":{\"rawBytes\":\"" + key
        + "\"},\"logId\":{\"keyId\":\"AAAA\"}}],\"certificateAuthorities\":[{\"certChain\":{\"certificates\":[{"
        + "\"rawBytes\":\"" + der + "\"}]}}]}");
    String entry = "imagePolicy:\n  - name: ci\n    images: \"**\"\n    keyless:\n      trustedRoot: trusted_root.json\n";
    ImagePolicy.Entry ci = load(entry + "      subject: dev@example.com\n      issuerRegExp: \"https://.*\"\n")
        .imagePolicy().entries().get(0);
    assertThat(ci.signers()).containsExactly("keyless dev@example.com from https://.* (trusted_root.json)");
    assertThat(error(entry + "      subject: dev@example.com\n").getMessage())
        .contains("ci.keyless: give the signer's identity (`subject` or `subjectRegExp`) and OIDC issuer");
    ConfigException badRe = error(entry + "      subjectRegExp: \"(\"\n      issuer: https://x\n");
    assertThat(badRe.line()).isEqualTo(6);
    assertThat(badRe.getMessage()).contains("`(` is not a regular expression");
    ImagePolicy.Entry attesting = load(entry + "      subject: a@b\n      issuer: https://x\n"
        + "    attestations: [spdxjson]\n").imagePolicy().entries().get(0);
    assertThat(attesting.attestations()).as("keyless attestations, cosign's name resolved")
        .containsExactly("https://spdx.dev/Document");
    assertThat(attesting.keyless()).isPresent();
  }
}

package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas image --key} against a real registry (Debian's docker-registry on 127.0.0.1), with
 * signatures kapas did not make: keys and signatures by OpenSSL, cosign's signature manifests
 * written by hand ({@link Cosign}) and pushed by skopeo, byte for byte. distribution 2.8 has no
 * referrers API, so the referrers case goes through the referrers-tag fallback.
 */
class SignatureRegistryTest {
  @TempDir
  static Path tmp;
  private static LocalRegistry registry;
  private static Cosign cosign;
  private static Path p256;
  private static Path p384;
  private static Path rsa;
  private static Path ed25519;
  private int repo;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start(tmp);
    cosign = new Cosign(tmp);
    p256 = cosign.key("p256", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    p384 = cosign.key("p384", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384");
    rsa = cosign.key("rsa", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    ed25519 = cosign.key("ed25519", "-algorithm", "ED25519");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** An image pushed to a fresh repository; [repository, digest, layout dir]. */
  private String[] image(String text) throws Exception {
    return image(text, "team/app" + repo++ + "-" + System.nanoTime());
  }

  private String[] image(String text, String repository) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String digest = layout.image(text, "img");
    registry.pushTag(layout.dir(), "img", repository + ":1");
    return new String[] {repository, digest, layout.dir().toString()};
  }

  /** Pushes a signature manifest (payload, signature pairs) to the image's sha256-<hex>.sig tag. */
  private void signatureTag(String[] image, String... payloadsAndSignatures) throws Exception {
    OciLayout layout = new OciLayout(Path.of(image[2] + "-sig-" + System.nanoTime()));
    Cosign.signatureManifest(layout, "sig", null, payloadsAndSignatures);
    registry.pushTag(layout.dir(), "sig", image[0] + ":sha256-" + image[1].substring(7) + ".sig");
  }

  private CliRun kapas(String[] image, String... more) {
    List<String> args = new ArrayList<>(List.of("image", "--insecure-registry", registry.host(),
        registry.host() + "/" + image[0] + ":1", "-f", "json", "--fail-on", "high"));
    args.addAll(List.of(more));
    return CliRun.run(false, Map.of("HOME", tmp.toString()), args.toArray(String[]::new));
  }

  private String payload(String[] image, String digest) {
    return Cosign.payload(registry.host() + "/" + image[0], digest);
  }

  @Test
  void signaturesByOpensslVerifyWithEachKeyType() throws Exception {
    String[] image = image("signed by four keys");
    String p = payload(image, image[1]);
    signatureTag(image, p, cosign.sign(p256, p, "sha256"), p, cosign.sign(p384, p, "sha384"),
        p, cosign.sign(rsa, p, "sha256"), p, cosign.sign(ed25519, p, "ed25519"));
    for (Path key : List.of(p256, p384, rsa, ed25519)) {
      CliRun r = kapas(image, "--key", Cosign.pub(key).toString());
      assertThat(r.exitCode()).as(key + ": " + r.out() + r.err()).isZero();
      assertThat(r.out()).contains("\"signed\" : true", "\"key\" : \"" + Cosign.pub(key) + "\"")
          .doesNotContain("container.image-unsigned\"", "container.image-signature-invalid\"");
    }
  }

  /**
   * The key pair kept as cosign keeps it: cosign.key (ENCRYPTED SIGSTORE PRIVATE KEY, scrypt +
   * secretbox over PKCS#8) and cosign.pub; the key is taken out of cosign.key with its password
   * and OpenSSL signs with it.
   */
  @Test
  void keyPairInCosignsEncryptedFormat() throws Exception {
    Path generated = cosign.key("for-cosign-key", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    byte[] pkcs8 = java.util.Base64.getMimeDecoder().decode(Files.readString(generated)
        .replaceAll("-----[A-Z ]+-----", ""));
    Path cosignKey = Files.writeString(tmp.resolve("cosign.key"), CosignKeyFile.write(pkcs8, "correct horse"));
    Files.copy(Cosign.pub(generated), tmp.resolve("cosign.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.delete(generated);
    assertThat(Files.readString(cosignKey)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(pkcs8).substring(0, 40));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CosignKeyFile.read(Files.readString(cosignKey),
        "wrong"))).hasMessageContaining("does not authenticate");
    Path decrypted = tmp.resolve("decrypted.key");
    Files.writeString(decrypted, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
        CosignKeyFile.read(Files.readString(cosignKey), "correct horse")) + "\n-----END PRIVATE KEY-----\n");
    String[] image = image("signed with cosign.key");
    String p = payload(image, image[1]);
    signatureTag(image, p, cosign.sign(decrypted, p, "sha256"));
    CliRun r = kapas(image, "--key", tmp.resolve("cosign.pub").toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("\"signed\" : true");
  }

  @Test
  void p384SignedWithSha256AsOlderCosignDid() throws Exception {
    String[] image = image("p384 sha256");
    String p = payload(image, image[1]);
    signatureTag(image, p, cosign.sign(p384, p, "sha256"));
    CliRun r = kapas(image, "--key", Cosign.pub(p384).toString());
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("\"signed\" : true");
  }

  @Test
  void noSignatureIsUnsigned() throws Exception {
    String[] image = image("never signed");
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("container.image-unsigned", "has no cosign signature",
        "policy --key wants one by " + Cosign.pub(p256)).doesNotContain("container.image-signature-invalid\"");
  }

  @Test
  void wrongKeyIsInvalidNeverSigned() throws Exception {
    String[] image = image("signed by another key");
    String p = payload(image, image[1]);
    signatureTag(image, p, cosign.sign(p384, p, "sha384"));
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString(), "--key", Cosign.pub(rsa).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("container.image-signature-invalid", "\"signed\" : false",
        "does not verify with any of the keys " + Cosign.pub(p256) + ", " + Cosign.pub(rsa))
        .doesNotContain("container.image-unsigned\"");
    CliRun right = kapas(image, "--key", Cosign.pub(p256).toString(), "--key", Cosign.pub(p384).toString());
    assertThat(right.exitCode()).as("any one key will do").isZero();
  }

  @Test
  void signatureOverAnotherDigestIsInvalid() throws Exception {
    String[] image = image("signature copied from another image");
    String[] other = image("the image that was signed");
    String p = payload(image, other[1]);
    signatureTag(image, p, cosign.sign(p256, p, "sha256"));
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("container.image-signature-invalid", "it signs another image, " + other[1]
        + ", not this image's digest " + image[1]);
  }

  @Test
  void tamperedPayloadIsInvalid() throws Exception {
    String[] image = image("tampered payload");
    String p = payload(image, image[1]);
    String signature = cosign.sign(p256, p, "sha256");
    signatureTag(image, p.replace("\"optional\":null", "\"optional\":{\"approved\":\"yes\"}"), signature);
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("container.image-signature-invalid", "does not verify with the key " + Cosign.pub(p256));
  }

  @Test
  void tagMovedAfterSigning() throws Exception {
    String[] image = image("signed, then the tag moves");
    String p = payload(image, image[1]);
    String signature = cosign.sign(p256, p, "sha256");
    signatureTag(image, p, signature);
    assertThat(kapas(image, "--key", Cosign.pub(p256).toString()).exitCode()).isZero();
    OciLayout other = new OciLayout(tmp.resolve("moved-" + System.nanoTime()));
    String moved = other.image("pushed over the tag", "img");
    registry.pushTag(other.dir(), "img", image[0] + ":1");
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("container.image-unsigned", moved);
    // the old signature copied beside the new digest still names the old one
    signatureTag(new String[] {image[0], moved, other.dir().toString()}, p, signature);
    CliRun copied = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(copied.exitCode()).isEqualTo(1);
    assertThat(copied.out()).contains("container.image-signature-invalid", "it signs another image, " + image[1]);
  }

  @Test
  void referrerFoundThroughTheReferrersTag() throws Exception {
    String[] image = image("signed as an OCI 1.1 referrer");
    OciLayout layout = new OciLayout(Path.of(image[2]));
    String p = payload(image, image[1]);
    String sig = Cosign.signatureManifest(layout, "referrer", layout.descriptor(image[1]), p,
        cosign.sign(ed25519, p, "ed25519"));
    layout.manifest("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.INDEX + "\",\"manifests\":[" + sig + "]}",
        OciLayout.INDEX, "referrers");
    registry.pushIndex(layout.dir(), "referrers", image[0] + ":sha256-" + image[1].substring(7));
    CliRun r = kapas(image, "--key", Cosign.pub(ed25519).toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("\"signed\" : true", "\"where\" : \"referrer " + OciLayout.digestOf(sig) + "\"");
  }

  /**
   * Entries of .kapas.yaml: every entry whose glob matches applies and must be met; an image no
   * entry matches fails only because requireSignatures is true; findings name the entry.
   */
  @Test
  void imagePolicyEntriesFromTheConfigFile() throws Exception {
    long id = System.nanoTime();
    String[] team = image("team image", "team/web-" + id);
    String[] payments = image("payments image", "team/payments-" + id);
    String[] stray = image("matched by no entry", "other/tool-" + id);
    for (String[] image : List.of(team, payments)) {
      String p = payload(image, image[1]);
      signatureTag(image, p, cosign.sign(p256, p, "sha256"));
    }
    Path config = tmp.resolve("policy-" + id + ".yaml");
    Files.copy(Cosign.pub(p256), tmp.resolve("keys-team-" + id + ".pub"));
    Files.writeString(config, "requireSignatures: true\nimagePolicy:\n"
        + "  - name: team\n    images: \"" + registry.host() + "/team/**\"\n    keys: [keys-team-" + id + ".pub]\n"
        + "  - name: payments\n    images:\n      - glob: \"" + registry.host() + "/team/payments-*:*\"\n"
        + "    keys: [" + Cosign.pub(rsa) + "]\n");
    List<String> args = new ArrayList<>(List.of("image", "--insecure-registry", registry.host(), "--config",
        config.toString(), "-f", "json"));
    for (String[] image : List.of(team, payments, stray)) {
      args.add(registry.host() + "/" + image[0] + ":1");
    }
    CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("\"policy\" : \"team\"", "\"policy\" : \"payments\"")
        .contains("the signature at tag sha256-" + payments[1].substring(7) + ".sig is not valid for policy payments: "
            + "the signature does not verify with the key " + Cosign.pub(rsa))
        .contains("image " + registry.host() + "/" + stray[0] + ":1 matches no imagePolicy entry, and "
            + "requireSignatures is true")
        .doesNotContain("web-" + id + ":1: the signature", "not valid for policy team");
  }

  /** SLSA provenance attestations (DSSE, signed by OpenSSL over the PAE) at the .att tag. */
  @Test
  void provenanceAttestations() throws Exception {
    long id = System.nanoTime();
    String builder = "https://github.com/org/builder/.github/workflows/build.yml@refs/heads/main";
    String[] good = image("attested", "att/good-" + id);
    String[] rogue = image("attested by a laptop", "att/rogue-" + id);
    String[] other = image("attestation about another image", "att/other-" + id);
    String[] tampered = image("attestation changed after signing", "att/tampered-" + id);
    String[] none = image("no attestation", "att/none-" + id);
    String envelopeGood = cosign.envelope(p256, Cosign.provenance(good[0], good[1], builder), "sha256");
    attestation(good, envelopeGood);
    attestation(rogue, cosign.envelope(p256, Cosign.provenance(rogue[0], rogue[1], "https://laptop.local/me"), "sha256"));
    attestation(other, cosign.envelope(p256, Cosign.provenance(other[0], good[1], builder), "sha256"));
    String forged = Cosign.provenance(tampered[0], tampered[1], builder);
    String signedOver = cosign.envelope(p256, Cosign.provenance(tampered[0], tampered[1], "https://laptop.local/me"), "sha256");
    attestation(tampered, signedOver.replaceFirst("\"payload\":\"[^\"]+\"", "\"payload\":\""
        + java.util.Base64.getEncoder().encodeToString(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\""));
    List<String[]> images = List.of(good, rogue, other, tampered, none);
    for (String[] image : images) {
      String p = payload(image, image[1]);
      signatureTag(image, p, cosign.sign(p256, p, "sha256"));
    }
    Path config = tmp.resolve("att-" + id + ".yaml");
    Files.writeString(config, "imagePolicy:\n  - name: provenance\n    images: \"" + registry.host() + "/att/**\"\n"
        + "    keys: [" + Cosign.pub(p256) + "]\n    attestations: [slsaprovenance1]\n    builders: [\"" + builder + "\"]\n");
    List<String> args = new ArrayList<>(List.of("image", "--insecure-registry", registry.host(), "--config",
        config.toString(), "-f", "json"));
    images.forEach(i -> args.add(registry.host() + "/" + i[0] + ":1"));
    CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    String slsa = "https://slsa.dev/provenance/v1";
    assertThat(r.out())
        .contains("the " + slsa + " attestation at tag sha256-" + rogue[1].substring(7) + ".att is not valid for policy "
            + "provenance: the provenance's builder `https://laptop.local/me` is not one of the allowed builders")
        .contains("sha256-" + other[1].substring(7) + ".att is not valid for policy provenance: the statement's "
            + "subject is another image, not " + other[1])
        .contains("sha256-" + tampered[1].substring(7) + ".att is not valid for policy provenance: the envelope's "
            + "signature does not verify with " + Cosign.pub(p256))
        .contains("image " + registry.host() + "/" + none[0] + ":1 (" + none[1] + ") has no " + slsa + " attestation")
        .doesNotContain("sha256-" + good[1].substring(7) + ".att is not valid", "container.image-unsigned\"",
            "container.image-signature-invalid\"");
    assertThat(r.out().split("container.image-attestation-missing\"", -1)).as("four findings").hasSize(5);
  }

  private void attestation(String[] image, String envelope) throws Exception {
    OciLayout layout = new OciLayout(Path.of(image[2] + "-att-" + System.nanoTime()));
    Cosign.attestationManifest(layout, "att", "https://slsa.dev/provenance/v1", envelope);
    registry.pushTag(layout.dir(), "att", image[0] + ":sha256-" + image[1].substring(7) + ".att");
  }

  /** A multi-platform image is signed at its index digest (what the tag resolves to), as cosign sign does. */
  @Test
  void multiPlatformImageSignedAtTheIndex() throws Exception {
    String repository = "team/multi-" + System.nanoTime();
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String platform = layout.image("one platform of several", "img");
    String entry = layout.descriptor(platform).replaceFirst("}$", ",\"platform\":{\"os\":\"linux\",\"architecture\":\""
        + dev.kapas.source.image.Platform.current().architecture() + "\"}}");
    layout.manifest("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.INDEX + "\",\"manifests\":[" + entry + "]}",
        OciLayout.INDEX, "index");
    registry.pushIndex(layout.dir(), "index", repository + ":1");
    String index = SignatureFinder.sha256(LocalRegistry.run("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/" + repository + ":1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String[] image = {repository, index, layout.dir().toString()};
    CliRun unsigned = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(unsigned.out()).contains("container.image-unsigned", "(" + index + ") has no cosign signature");
    String p = payload(image, index);
    signatureTag(image, p, cosign.sign(p256, p, "sha256"));
    CliRun r = kapas(image, "--key", Cosign.pub(p256).toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(report.path("signatures").path(0).path("signed").asBoolean()).isTrue();
    assertThat(report.path("signatures").path(0).path("digest").asText()).isEqualTo(index);
    // the image read is the platform's manifest (skopeo may have re-compressed its layer on the way,
    // as an index cannot be pushed with --preserve-digests), not the index the signature is for
    assertThat(report.path("images").path(0).path("digest").asText()).startsWith("sha256:").isNotEqualTo(index);
  }

  /**
   * A signature whose payload blob the registry has lost (deleted from its storage here): an input
   * error naming the image and the blob, exit 3, and the other image is still checked.
   */
  @Test
  void aSignatureThatCannotBeFetchedIsAnInputError() throws Exception {
    String[] broken = image("payload lost");
    String[] fine = image("still checked");
    String p = payload(broken, broken[1]);
    signatureTag(broken, p, cosign.sign(p256, p, "sha256"));
    String payloadHex = SignatureFinder.sha256(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(7);
    Path blob = tmp.resolve("storage/docker/registry/v2/blobs/sha256/" + payloadHex.substring(0, 2) + "/" + payloadHex
        + "/data");
    assertThat(blob).exists();
    Files.delete(blob);
    CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", registry.host(),
        "--key", Cosign.pub(p256).toString(), registry.host() + "/" + broken[0] + ":1",
        registry.host() + "/" + fine[0] + ":1", "-f", "json");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.out()).contains(registry.host() + "/" + broken[0] + ":1", "signatures: blob sha256:" + payloadHex)
        .contains("has no cosign signature", fine[0]);
  }

  @Test
  void aPrivateKeyOrGarbageIsAUsageError() throws Exception {
    String[] image = image("key errors");
    CliRun r = kapas(image, "--key", p256.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--key " + p256 + ": holds a PRIVATE KEY, not a PUBLIC KEY (give the public half");
    CliRun file = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--key", Cosign.pub(p256).toString(),
        image[2], "-f", "json", "--fail-on", "none");
    assertThat(file.exitCode()).as(file.out() + file.err()).isZero();
    assertThat(file.out()).contains("read from a file: its signatures are not checked")
        .doesNotContain("container.image-unsigned\"");
    Path junk = Files.writeString(tmp.resolve("junk.pub"), "not a key\n");
    CliRun j = kapas(image, "--key", junk.toString());
    assertThat(j.exitCode()).isEqualTo(2);
    assertThat(j.err()).contains("--key " + junk + ": no PEM block in it");
  }
}

package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classic cosign signatures timestamped by a timestamp authority ({@code cosign sign
 * --tsa-server-url}, with or without {@code --tlog-upload=false}): the layer annotation {@code
 * dev.sigstore.cosign/rfc3161timestamp} holds {@code {"SignedRFC3161Timestamp": "<base64 DER>"}},
 * a timestamp over the signature's bytes. {@link TestSigstore} plays Fulcio (an openssl CA) and the
 * TSA ({@code openssl ts -reply}); not the public-good instance.
 */
class CosignTimestampTest {
  private static final String SUBJECT = "dev@example.com";
  private static final String DIGEST = "sha256:" + "cd".repeat(32);
  @TempDir
  static Path tmp;
  private static TestSigstore sigstore;
  private static Path key;
  private static String leaf;
  private static String ca;

  @BeforeAll
  static void instance() throws Exception {
    sigstore = new TestSigstore(tmp);
    key = sigstore.cosign.key("signer", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    leaf = sigstore.leaf(key, SUBJECT, "leaf", List.of("-days", "1"));
    ca = Files.readString(sigstore.ca);
  }

  private static String annotation(String timestampBase64) {
    return "{\"SignedRFC3161Timestamp\":\"" + timestampBase64 + "\"}";
  }

  private static Verdict check(String payload, String sig, String certificate, String timestamp) throws Exception {
    CosignSignature s = new CosignSignature("tag", payload.getBytes(StandardCharsets.UTF_8), sig, certificate, ca, "",
        timestamp);
    return SignatureCheck.verify(DIGEST, List.of(s), List.of(), Optional.of(sigstore.keyless(SUBJECT))).get(0);
  }

  @Test
  void timestampInsteadOfALogBundle() throws Exception {
    String payload = Cosign.payload("registry.example/app", DIGEST);
    String sig = sigstore.cosign.sign(key, payload, "sha256");
    byte[] raw = Base64.getDecoder().decode(sig);
    Verdict ok = check(payload, sig, leaf, annotation(sigstore.timestamp(raw)));
    assertThat(ok.valid()).as(ok.reason()).isTrue();
    assertThat(ok.key()).startsWith("keyless dev@example.com");

    assertThat(check(payload, sig, leaf, "").reason()).as("neither bundle nor timestamp")
        .isEqualTo("it carries neither a transparency-log bundle nor an RFC 3161 timestamp, so its time cannot be "
            + "proven offline");
    assertThat(check(payload, sig, leaf, annotation(sigstore.timestamp(payload.getBytes(StandardCharsets.UTF_8))))
        .reason()).as("a timestamp over the payload, not the signature")
        .isEqualTo("its RFC 3161 timestamp does not verify against trusted_root.json: the timestamp is over another "
            + "message, not this signature");
    Path rogue = sigstore.tsa("rogue-tsa");
    assertThat(check(payload, sig, leaf, annotation(sigstore.timestamp(rogue, raw))).reason())
        .as("a TSA the trusted root does not have")
        .isEqualTo("its RFC 3161 timestamp does not verify against trusted_root.json: the timestamp is not signed by a "
            + "timestamp authority of trusted_root.json");
    assertThat(check(payload, sig, leaf, "{\"other\":1}").reason())
        .contains("its RFC 3161 timestamp does not verify", "has no SignedRFC3161Timestamp");
    assertThat(check(payload, sig, leaf, annotation("%%%")).reason()).contains("is not base64");

    String expired = sigstore.leaf(key, SUBJECT, "expired-leaf", List.of("-startdate", "20240101000000Z", "-enddate",
        "20240102000000Z"));
    assertThat(check(payload, sig, expired, annotation(sigstore.timestamp(raw))).reason())
        .as("a certificate expired at the timestamp's time")
        .startsWith("the certificate (valid 2024-01-01T00:00:00Z to 2024-01-02T00:00:00Z) was not valid at the "
            + "timestamp's time " + java.time.Instant.now().toString().substring(0, 10));
  }

  /**
   * An attestation layer ({@code cosign attest --tsa-server-url}) has no signature annotation: its
   * timestamp is over the layer's payload, the DSSE envelope, as cosign stamps and checks it.
   */
  @Test
  void timestampedKeylessAttestation() throws Exception {
    String slsa = "https://slsa.dev/provenance/v1";
    String envelope = sigstore.cosign.envelope(key, Cosign.provenance("registry.example/app", DIGEST,
        "https://builder.example"), "sha256");
    byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
    java.util.function.Function<String, Verdict> attested = stamp -> AttestationCheck.verify(DIGEST, List.of(
        new CosignSignature("tag sha256-cd.att", bytes, "", leaf, ca, "", annotation(stamp))), List.of(),
        Optional.of(uncheckedKeyless()), slsa, List.of()).get(0);
    Verdict ok = attested.apply(sigstore.timestamp(bytes));
    assertThat(ok.valid()).as(ok.reason()).isTrue();
    String sig = envelope.replaceFirst(".*\"sig\":\"([^\"]+)\".*", "$1");
    assertThat(attested.apply(sigstore.timestamp(Base64.getDecoder().decode(sig))).reason())
        .as("over the envelope's signature, not the envelope").contains("the timestamp is over another message");
  }

  private static Keyless uncheckedKeyless() {
    try {
      return sigstore.keyless(SUBJECT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Through the real registry: the signature manifest with the certificate, chain and timestamp
   * annotations as cosign writes them, pushed by skopeo to the .sig tag; kapas reads the
   * annotation and judges the signature by the timestamp's time.
   */
  @Test
  void timestampedSignatureInTheRegistry() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")))) {
      String[] good = push(registry, "ts/good", leaf);
      String expired = sigstore.leaf(key, SUBJECT, "expired-e2e", List.of("-startdate", "20240101000000Z", "-enddate",
          "20240102000000Z"));
      String[] late = push(registry, "ts/late", expired);
      Path config = tmp.resolve("ts.yaml");
      Files.writeString(config, "imagePolicy:\n  - name: ci\n    images: \"" + registry.host()
          + "/ts/**\"\n    keyless:\n      trustedRoot: trusted_root.json\n      subject: " + SUBJECT
          + "\n      issuer: " + TestSigstore.ISSUER + "\n");
      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", registry.host(),
          "--config", config.toString(), registry.host() + "/" + good[0] + ":1", registry.host() + "/" + late[0] + ":1",
          "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
      assertThat(report.path("signatures").path(0).path("image").asText()).endsWith(good[0] + ":1");
      assertThat(report.path("signatures").path(0).path("signed").asBoolean()).as(r.out()).isTrue();
      assertThat(report.path("signatures").path(1).path("signed").asBoolean()).isFalse();
      assertThat(r.out()).contains("container.image-signature-invalid", "was not valid at the timestamp's time");
    }
  }

  /** An image in {@code repository}:1 and its keyless signature by {@code certificate}, timestamped; [repository, digest]. */
  private static String[] push(LocalRegistry registry, String repository, String certificate) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String digest = layout.image("timestamped " + repository, "img");
    registry.pushTag(layout.dir(), "img", repository + ":1");
    String payload = Cosign.payload(registry.host() + "/" + repository, digest);
    String sig = sigstore.cosign.sign(key, payload, "sha256");
    String stamp = sigstore.timestamp(Base64.getDecoder().decode(sig));
    OciLayout sigLayout = new OciLayout(tmp.resolve(repository.replace('/', '_') + "-sig"));
    Cosign.manifest(sigLayout, "sig", null, List.<String[]>of(new String[] {SignatureFinder.SIMPLE_SIGNING, payload,
        "\"" + SignatureFinder.SIGNATURE_ANNOTATION + "\":\"" + sig + "\",\"" + SignatureFinder.CERTIFICATE_ANNOTATION
        + "\":" + json(certificate) + ",\"" + SignatureFinder.CHAIN_ANNOTATION + "\":" + json(ca) + ",\""
        + SignatureFinder.TIMESTAMP_ANNOTATION + "\":" + json(annotation(stamp))}));
    registry.pushTag(sigLayout.dir(), "sig", repository + ":sha256-" + digest.substring(7) + ".sig");
    return new String[] {repository, digest};
  }

  private static String json(String text) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
  }
}

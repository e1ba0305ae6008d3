package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigstore bundles made here ({@link TestSigstore}: an openssl CA plays Fulcio, an EC key plays
 * Rekor, {@code openssl ts} plays the timestamp authority; not the public-good instance): message
 * signatures and DSSE envelopes by EC, RSA and Ed25519 leaf certificates, log entries of each kind,
 * and RFC 3161 timestamps, each also changed in one place and refused with its reason.
 */
class BundleKeylessTest {
  private static final String SUBJECT = "dev@example.com";
  /** The artifact a message signature signs: for an image, its manifest. */
  private static final String ARTIFACT = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}";
  @TempDir
  static Path tmp;
  private static TestSigstore sigstore;
  private static Path ecKey;
  private static Path rsaKey;
  private static Path edKey;
  private static String ecLeaf;
  private static String rsaLeaf;
  private static String edLeaf;
  private static String digest;

  @BeforeAll
  static void instance() throws Exception {
    sigstore = new TestSigstore(tmp);
    ecKey = sigstore.cosign.key("ec", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    rsaKey = sigstore.cosign.key("rsa", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    edKey = sigstore.cosign.key("ed", "-algorithm", "ED25519");
    ecLeaf = sigstore.leaf(ecKey, SUBJECT, "ec-leaf", List.of("-days", "1"));
    rsaLeaf = sigstore.leaf(rsaKey, SUBJECT, "rsa-leaf", List.of("-days", "1"));
    edLeaf = sigstore.leaf(edKey, SUBJECT, "ed-leaf", List.of("-days", "1"));
    digest = SignatureFinder.sha256(ARTIFACT.getBytes(StandardCharsets.UTF_8));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String hex() {
    return digest.substring(7);
  }

  private static String sign(Path key, String message) throws Exception {
    return sigstore.cosign.sign(key, message, key == edKey ? "ed25519" : "sha256");
  }

  private static String messageContent(String sig) {
    return "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\""
        + TestSigstore.b64(HexFormat.of().parseHex(hex())) + "\"},\"signature\":\"" + sig + "\"}";
  }

  private static String hashedrekord(String sig, String leaf) {
    return "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\","
        + "\"value\":\"" + hex() + "\"}},\"signature\":{\"content\":\"" + sig + "\",\"publicKey\":{\"content\":\""
        + TestSigstore.b64(leaf.getBytes(StandardCharsets.UTF_8)) + "\"}}}}";
  }

  /** A message-signature bundle of ARTIFACT by {@code key} with its {@code leaf}, logged at {@code time}. */
  private static String message(Path key, String leaf, long time, String... stamps) throws Exception {
    String sig = sign(key, ARTIFACT);
    return sigstore.bundle(messageContent(sig), leaf, hashedrekord(sig, leaf), time, stamps);
  }

  private static SigstoreBundle.Checked check(String bundle, boolean withArtifact) throws Exception {
    return SigstoreBundle.check(bundle.getBytes(StandardCharsets.UTF_8), digest, withArtifact
        ? Optional.of(ARTIFACT.getBytes(StandardCharsets.UTF_8)) : Optional.empty(), List.of(),
        Optional.of(sigstore.keyless(SUBJECT)));
  }

  private static Optional<String> problem(String bundle) throws Exception {
    return check(bundle, false).problem();
  }

  @Test
  void messageSignaturesByEcRsaAndEd25519Certificates() throws Exception {
    assertThat(problem(message(ecKey, ecLeaf, now()))).isEmpty();
    assertThat(problem(message(rsaKey, rsaLeaf, now()))).as("RSA, verified from the digest").isEmpty();
    String ed = message(edKey, edLeaf, now());
    assertThat(check(ed, true).problem()).as("Ed25519, over the artifact itself").isEmpty();
    assertThat(check(ed, true).signer()).isEqualTo("keyless dev@example.com from https://issuer.example "
        + "(trusted_root.json)");
    assertThat(problem(ed)).hasValueSatisfying(p -> assertThat(p).contains(
        "Ed25519 signature over a message can only be verified with the message itself"));
    String ecSig = sign(ecKey, ARTIFACT);
    assertThat(problem(sigstore.bundle(messageContent(ecSig), rsaLeaf, hashedrekord(ecSig, rsaLeaf), now())))
        .as("an EC signature in an RSA certificate's bundle")
        .hasValue("the signature does not verify with the certificate's key");
    String otherSig = sign(rsaKey, ARTIFACT + " ");
    assertThat(problem(sigstore.bundle(messageContent(otherSig), rsaLeaf, hashedrekord(otherSig, rsaLeaf), now())))
        .as("a signature over another artifact").hasValue("the signature does not verify with the certificate's key");
  }

  private static String statement(String subjectHex) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"registry.example/app\",\"digest\":{"
        + "\"sha256\":\"" + subjectHex + "\"}}],\"predicateType\":\"" + SigstoreBundle.SIGN_PREDICATE + "\","
        + "\"predicate\":{}}";
  }

  private static String pae(String statement) {
    String type = AttestationCheck.IN_TOTO;
    return "DSSEv1 " + type.length() + " " + type + " " + statement.getBytes(StandardCharsets.UTF_8).length + " "
        + statement;
  }

  private static String envelope(String statement, String sig) {
    return "\"dsseEnvelope\":{\"payload\":\"" + TestSigstore.b64(statement.getBytes(StandardCharsets.UTF_8))
        + "\",\"payloadType\":\"" + AttestationCheck.IN_TOTO + "\",\"signatures\":[{\"sig\":\"" + sig + "\"}]}";
  }

  private static String sha256Hex(String s) {
    return SignatureFinder.sha256(s.getBytes(StandardCharsets.UTF_8)).substring(7);
  }

  /** A log entry for a DSSE envelope: kind dsse v0.0.1, or intoto v0.0.2 (signature base64 twice). */
  private static String envelopeEntry(String kind, String payloadHex, String sig, String leaf) {
    String verifier = TestSigstore.b64(leaf.getBytes(StandardCharsets.UTF_8));
    return kind.equals("dsse")
        ? "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\""
            + "00\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"" + payloadHex + "\"},\"signatures\":[{"
            + "\"signature\":\"" + sig + "\",\"verifier\":\"" + verifier + "\"}]}}"
        : "{\"apiVersion\":\"0.0.2\",\"kind\":\"intoto\",\"spec\":{\"content\":{\"envelope\":{\"payloadType\":\""
            + AttestationCheck.IN_TOTO + "\",\"signatures\":[{\"sig\":\"" + TestSigstore.b64(sig.getBytes(
            StandardCharsets.US_ASCII)) + "\",\"publicKey\":\"" + verifier + "\"}]},\"payloadHash\":{\"algorithm\":"
            + "\"sha256\",\"value\":\"" + payloadHex + "\"}}}}";
  }

  /** cosign v3's image signature: a DSSE bundle of an in-toto statement about the image, predicate sign/v1. */
  @Test
  void dsseBundlesWithDsseAndIntotoEntries() throws Exception {
    String st = statement(hex());
    for (Path key : List.of(edKey, rsaKey, ecKey)) {
      String leaf = key == edKey ? edLeaf : key == rsaKey ? rsaLeaf : ecLeaf;
      String sig = sign(key, pae(st));
      for (String kind : List.of("dsse", "intoto")) {
        SigstoreBundle.Checked c = check(sigstore.bundle(envelope(st, sig), leaf, envelopeEntry(kind, sha256Hex(st), sig,
            leaf), now()), false);
        assertThat(c.problem()).as(key + " " + kind).isEmpty();
        assertThat(c.isSignature()).isTrue();
      }
    }
    String sig = sign(edKey, pae(st));
    assertThat(problem(sigstore.bundle(envelope(st, sig), edLeaf, envelopeEntry("dsse", sha256Hex(st + " "), sig, edLeaf),
        now()))).hasValue("the log entry is for another payload");
    assertThat(problem(sigstore.bundle(envelope(st, sig), edLeaf, hashedrekord(sig, edLeaf), now())))
        .hasValue("the log entry is a hashedrekord entry, not one for a DSSE envelope");
    String other = statement("cd".repeat(32));
    String otherSig = sign(edKey, pae(other));
    assertThat(problem(sigstore.bundle(envelope(other, otherSig), edLeaf, envelopeEntry("dsse", sha256Hex(other), otherSig,
        edLeaf), now()))).hasValueSatisfying(p -> assertThat(p).startsWith("its statement's subject is another artifact"));
    String forged = st.replace("registry.example/app", "registry.example/evil");
    assertThat(problem(sigstore.bundle(envelope(forged, sig), edLeaf, envelopeEntry("intoto", sha256Hex(forged), sig,
        edLeaf), now()))).as("a statement changed after signing, logged as changed")
        .hasValue("the signature does not verify with the certificate's key");
  }

  /** A SLSA v1 provenance statement about {@code subjectHex}, built by {@code builder}. */
  private static String provenance(String subjectHex, String builder) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"registry.example/app\",\"digest\":{"
        + "\"sha256\":\"" + subjectHex + "\"}}],\"predicateType\":\"" + SLSA + "\",\"predicate\":{\"runDetails\":{"
        + "\"builder\":{\"id\":\"" + builder + "\"}}}}";
  }

  private static final String SLSA = "https://slsa.dev/provenance/v1";

  private static SignatureFinder.Bundle dsseBundle(String statement) throws Exception {
    String sig = sign(ecKey, pae(statement));
    String bundle = sigstore.bundle(envelope(statement, sig), ecLeaf, envelopeEntry("dsse", sha256Hex(statement), sig,
        ecLeaf), now());
    return new SignatureFinder.Bundle("referrer sha256:" + sha256Hex(bundle) + " (Sigstore bundle)",
        bundle.getBytes(StandardCharsets.UTF_8), ARTIFACT.getBytes(StandardCharsets.UTF_8));
  }

  /** cosign v3 attests with DSSE bundles among the referrers: judged as the .att envelopes are, builder allow-list included. */
  @Test
  void dsseBundleAttestationsWithTheBuilderAllowList() throws Exception {
    String builder = "https://github.com/actions/runner/github-hosted";
    SignatureFinder.Bundle slsa = dsseBundle(provenance(hex(), builder));
    SignatureFinder.Bundle signature = dsseBundle(statement(hex()));
    SignatureFinder.Bundle aboutAnother = dsseBundle(provenance("cd".repeat(32), builder));
    List<SignatureFinder.Bundle> bundles = List.of(slsa, signature, aboutAnother);
    ImagePolicy.Entry allowed = new ImagePolicy.Entry("ci", List.of("**"), List.of(), List.of(SLSA), List.of(builder),
        Optional.of(sigstore.keyless(SUBJECT)));

    List<Verdict> verdicts = ImageSignatures.bundleAttestations(digest, bundles, allowed, SLSA);
    assertThat(verdicts).as("the provenance bundles, not the signature").hasSize(2);
    assertThat(verdicts.get(0).valid()).as(verdicts.get(0).reason()).isTrue();
    assertThat(verdicts.get(0).where()).isEqualTo(slsa.where());
    assertThat(verdicts.get(1).valid()).isFalse();
    assertThat(verdicts.get(1).reason()).startsWith("its statement's subject is another artifact");

    ImagePolicy.Entry otherBuilder = new ImagePolicy.Entry("ci", List.of("**"), List.of(), List.of(SLSA),
        List.of("https://builder.example/only"), Optional.of(sigstore.keyless(SUBJECT)));
    Verdict refused = ImageSignatures.bundleAttestations(digest, List.of(slsa), otherBuilder, SLSA).get(0);
    assertThat(refused.valid()).isFalse();
    assertThat(refused.reason()).isEqualTo("the provenance's builder `" + builder + "` is not one of the allowed "
        + "builders (https://builder.example/only)");

    ImagePolicy.Entry otherIdentity = new ImagePolicy.Entry("ci", List.of("**"), List.of(), List.of(SLSA),
        List.of(builder), Optional.of(sigstore.keyless("someone-else@example.com")));
    assertThat(ImageSignatures.bundleAttestations(digest, List.of(slsa), otherIdentity, SLSA).get(0).valid())
        .as("another identity").isFalse();
    assertThat(ImageSignatures.bundleAttestations(digest, bundles, allowed, "https://cyclonedx.org/bom"))
        .as("no bundle of that predicate type").isEmpty();
    assertThat(ImageSignatures.bundleVerdicts(digest, bundles, allowed)).as("only the signature counts as one")
        .hasSize(1);
  }

  @Test
  void rfc3161TimestampsByOpensslTs() throws Exception {
    String sig = sign(ecKey, ARTIFACT);
    byte[] raw = Base64.getDecoder().decode(sig);
    String stamped = sigstore.bundle(messageContent(sig), ecLeaf, hashedrekord(sig, ecLeaf), now(),
        sigstore.timestamp(raw));
    assertThat(problem(stamped)).isEmpty();

    assertThat(problem(sigstore.bundle(messageContent(sig), ecLeaf, hashedrekord(sig, ecLeaf), now(),
        sigstore.timestamp(ARTIFACT.getBytes(StandardCharsets.UTF_8))))).as("another message imprint")
        .hasValue("RFC 3161 timestamp 1: the timestamp is over another message, not this signature");

    Path rogue = sigstore.tsa("rogue-tsa");
    String byRogue = sigstore.timestamp(rogue, raw);
    assertThat(problem(sigstore.bundle(messageContent(sig), ecLeaf, hashedrekord(sig, ecLeaf), now(), byRogue)))
        .as("a TSA the root does not have")
        .hasValue("RFC 3161 timestamp 1: the timestamp is not signed by a timestamp authority of trusted_root.json");
    assertThat(problem(sigstore.bundle(messageContent(sig), ecLeaf, hashedrekord(sig, ecLeaf), now(), byRogue,
        sigstore.timestamp(raw)))).as("one timestamp of two verifies: enough, as sigstore-go").isEmpty();

    // a certificate valid in 2030 only: logged (by the test log) in 2030 it is valid; stamped now it is not
    String future = sigstore.leaf(ecKey, SUBJECT, "future-leaf", List.of("-startdate", "20300101000000Z", "-enddate",
        "20300102000000Z"));
    long in2030 = 1893499200L;
    assertThat(problem(sigstore.bundle(messageContent(sig), future, hashedrekord(sig, future), in2030)))
        .as("no timestamp: the log time decides").isEmpty();
    assertThat(problem(sigstore.bundle(messageContent(sig), future, hashedrekord(sig, future), in2030,
        sigstore.timestamp(raw)))).as("the timestamp's time is a signing time")
        .hasValueSatisfying(p -> assertThat(p).startsWith("the certificate (valid 2030-01-01T00:00:00Z to "
            + "2030-01-02T00:00:00Z) was not valid at the signing time " + java.time.Instant.now().toString()
            .substring(0, 10)));

    String noSet = stamped.replaceFirst("\"inclusionPromise\":\\{[^}]*\\},", "");
    assertThat(noSet).isNotEqualTo(stamped);
    assertThat(problem(noSet)).as("no SET, no inclusion proof")
        .hasValueSatisfying(p -> assertThat(p).contains("has no signed entry timestamp or inclusion proof"));
  }

  /**
   * Bundles as cosign v3 attaches them to an image in the real registry: a manifest of artifact
   * type {@code application/vnd.dev.sigstore.bundle.v0.3+json} with an empty config, the bundle as
   * its one layer and the image as its subject, listed in the referrers tag {@code sha256-<hex>}
   * (distribution 2.8 has no referrers API); pushed by skopeo. One image signed so, one whose
   * bundle's statement is about another image.
   */
  @Test
  void bundlesFoundAsReferrersInTheRegistry() throws Exception {
    try (dev.kapas.testing.LocalRegistry registry = dev.kapas.testing.LocalRegistry.start(
        java.nio.file.Files.createDirectories(tmp.resolve("registry")))) {
      String[] good = pushBundled(registry, "team/bundled", null);
      String[] copied = pushBundled(registry, "team/copied", "ef".repeat(32));
      java.nio.file.Path config = tmp.resolve("bundles.yaml");
      java.nio.file.Files.writeString(config, "imagePolicy:\n  - name: ci\n    images: \"" + registry.host()
          + "/team/**\"\n    keyless:\n      trustedRoot: trusted_root.json\n      subject: " + SUBJECT
          + "\n      issuer: " + TestSigstore.ISSUER + "\n");
      dev.kapas.cli.CliRun r = dev.kapas.cli.CliRun.run(false, java.util.Map.of("HOME", tmp.toString()), "image",
          "--insecure-registry", registry.host(), "--config", config.toString(), registry.host() + "/team/bundled:1",
          registry.host() + "/team/copied:1", "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
      com.fasterxml.jackson.databind.JsonNode signed = report.path("signatures").path(0);
      assertThat(signed.path("image").asText()).endsWith("team/bundled:1");
      assertThat(signed.path("signed").asBoolean()).as(r.out()).isTrue();
      assertThat(signed.path("signatures").path(0).path("where").asText()).isEqualTo("referrer " + good[1]
          + " (Sigstore bundle)");
      assertThat(signed.path("signatures").path(0).path("key").asText()).startsWith("keyless dev@example.com");
      assertThat(report.path("signatures").path(1).path("signed").asBoolean()).isFalse();
      assertThat(r.out()).contains("container.image-signature-invalid", "the signature at referrer " + copied[1]
          + " (Sigstore bundle) is not valid for policy ci: its statement's subject is another artifact, not "
          + copied[0]).doesNotContain("container.image-unsigned\"");
    }
  }

  /** Pushes an image to {@code repository}:1 and a DSSE bundle about it (or about {@code aboutHex}); [image digest, bundle manifest digest]. */
  private static String[] pushBundled(dev.kapas.testing.LocalRegistry registry, String repository, String aboutHex)
      throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String image = layout.image("signed with a bundle: " + repository, "img");
    registry.pushTag(layout.dir(), "img", repository + ":1");
    String st = statement(aboutHex == null ? image.substring(7) : aboutHex);
    String sig = sign(edKey, pae(st));
    String bundle = sigstore.bundle(envelope(st, sig), edLeaf, envelopeEntry("dsse", sha256Hex(st), sig, edLeaf), now());
    String type = "application/vnd.dev.sigstore.bundle.v0.3+json";
    String layer = layout.blob(type, bundle.getBytes(StandardCharsets.UTF_8), "");
    String empty = layout.blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8), "");
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.MANIFEST + "\",\"artifactType\":\"" + type
        + "\",\"config\":" + empty + ",\"layers\":[" + layer + "],\"subject\":" + layout.descriptor(image)
        + ",\"annotations\":{\"dev.sigstore.bundle.content\":\"dsse-envelope\",\"dev.sigstore.bundle.predicateType\":\""
        + SigstoreBundle.SIGN_PREDICATE + "\"}}";
    String digest = layout.manifest(manifest, OciLayout.MANIFEST, "bundle");
    layout.manifest("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.INDEX + "\",\"manifests\":[{\"mediaType\":\""
        + OciLayout.MANIFEST + "\",\"artifactType\":\"" + type + "\",\"digest\":\"" + digest + "\",\"size\":"
        + manifest.getBytes(StandardCharsets.UTF_8).length + "}]}", OciLayout.INDEX, "referrers");
    registry.pushIndex(layout.dir(), "referrers", repository + ":sha256-" + image.substring(7));
    return new String[] {image, digest};
  }

  /** A bundle signed with a key (verificationMaterial.publicKey), as cosign sign --key --new-bundle-format writes. */
  @Test
  void publicKeyBundleIsJudgedByThePolicysKeys() throws Exception {
    String sig = sign(rsaKey, ARTIFACT);
    String bundle = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{"
        + "\"publicKey\":{\"hint\":\"rsa\"},\"tlogEntries\":[]}," + messageContent(sig) + "}";
    TrustedKey rsa = TrustedKey.read(Cosign.pub(rsaKey), "rsa.pub");
    TrustedKey ec = TrustedKey.read(Cosign.pub(ecKey), "ec.pub");
    SigstoreBundle.Checked c = SigstoreBundle.check(bundle.getBytes(StandardCharsets.UTF_8), digest, Optional.empty(),
        List.of(ec, rsa), Optional.empty());
    assertThat(c.problem()).isEmpty();
    assertThat(c.signer()).isEqualTo("rsa.pub");
    assertThat(SigstoreBundle.check(bundle.getBytes(StandardCharsets.UTF_8), digest, Optional.empty(), List.of(ec),
        Optional.empty()).problem()).hasValue("the signature does not verify with the key ec.pub");
    assertThat(SigstoreBundle.check(bundle.getBytes(StandardCharsets.UTF_8), digest, Optional.empty(), List.of(),
        Optional.of(sigstore.keyless(SUBJECT))).problem()).hasValue("it is signed with a key, and the policy names no key");
  }
}

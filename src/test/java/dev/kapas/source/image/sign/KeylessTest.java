package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signatures, offline. A certificate authority made here by openssl plays Fulcio (it
 * issues the signing certificate with an email identity and Fulcio's OIDC-issuer extension), and
 * an EC key made here plays Rekor (it signs the entry timestamp over the canonical JSON of the
 * log entry): real certificates, real signatures, but not the public-good Sigstore instance.
 * The trusted_root.json is written in Sigstore's format with both. Keyless attestations are
 * made the same way: the DSSE envelope signed by OpenSSL with the certificate's key, and an
 * intoto log entry of it (as Rekor records {@code cosign attest}) under the test log's SET.
 */
class KeylessTest {
  private static final String ISSUER = "https://issuer.example";
  private static final String SUBJECT = "dev@example.com";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  @TempDir
  static Path tmp;
  private static Cosign cosign;
  private static Path leafKey;
  private static Path rekorKey;
  private static String leafPem;
  private static String rootPem;
  private static String logId;
  private static TrustedRoot root;

  @BeforeAll
  static void authorities() throws Exception {
    cosign = new Cosign(tmp);
    Path caKey = cosign.key("fulcio-ca", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    Path ca = tmp.resolve("fulcio-ca.pem");
    LocalRegistry.run("openssl", "req", "-x509", "-new", "-key", caKey.toString(), "-subj", "/O=kapas test/CN=test fulcio",
        "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        "-out", ca.toString());
    leafKey = cosign.key("leaf", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    leafPem = issue(leafKey, caKey, ca, SUBJECT, ISSUER, "leaf");
    rootPem = Files.readString(ca);
    rekorKey = cosign.key("rekor", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    byte[] rekorDer = der(Files.readString(Cosign.pub(rekorKey)));
    logId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rekorDer));
    Files.writeString(tmp.resolve("trusted_root.json"), "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;"
        + "version=0.1\",\"tlogs\":[{\"baseUrl\":\"https://rekor.test\",\"hashAlgorithm\":\"SHA2_256\",\"publicKey\":{"
        + "\"rawBytes\":\"" + Base64.getEncoder().encodeToString(rekorDer) + "\",\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\"},"
        + "\"logId\":{\"keyId\":\"" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(logId)) + "\"}}],"
        + "\"certificateAuthorities\":[{\"uri\":\"https://fulcio.test\",\"certChain\":{\"certificates\":[{\"rawBytes\":\""
        + Base64.getEncoder().encodeToString(der(rootPem)) + "\"}]}}]}");
    root = TrustedRoot.read(tmp.resolve("trusted_root.json"), "trusted_root.json");
  }

  /** A Fulcio-like leaf certificate for {@code key}: email SAN, issuer extension .1.8 (a DER UTF8String), 1 day. */
  private static String issue(Path key, Path caKey, Path ca, String email, String issuer, String name) throws Exception {
    Path csr = tmp.resolve(name + ".csr");
    Path ext = tmp.resolve(name + ".ext");
    Path out = tmp.resolve(name + ".pem");
    LocalRegistry.run("openssl", "req", "-new", "-key", key.toString(), "-subj", "/O=sigstore.dev", "-out", csr.toString());
    Files.writeString(ext, "subjectAltName=email:" + email + "\nextendedKeyUsage=codeSigning\n"
        + "keyUsage=critical,digitalSignature\n1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:" + issuer + "\n");
    LocalRegistry.run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-days", "1", "-extfile", ext.toString(), "-out", out.toString());
    return Files.readString(out);
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  /** The bundle cosign attaches: the log entry (a hashedrekord of payload and signature) and the log's SET over it. */
  private static String bundle(String payload, String signature, long time, String bodyPayload) throws Exception {
    return logged("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{"
        + "\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"" + sha256(bodyPayload) + "\"}},\"signature\":{"
        + "\"content\":\"" + signature + "\",\"publicKey\":{\"content\":\"" + Base64.getEncoder().encodeToString(
        leafPem.getBytes(StandardCharsets.UTF_8)) + "\"}}}}", time);
  }

  /**
   * The bundle {@code cosign attest} attaches to a keyless envelope: the intoto (v0.0.1) entry
   * Rekor makes of it (the sha256 of the envelope and of the statement, the certificate) and the
   * log's SET.
   */
  private static String intotoBundle(String envelope, String statement, String certificate, long time) throws Exception {
    return logged("{\"apiVersion\":\"0.0.1\",\"kind\":\"intoto\",\"spec\":{\"content\":{\"hash\":{\"algorithm\":"
        + "\"sha256\",\"value\":\"" + sha256(envelope) + "\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\""
        + sha256(statement) + "\"}},\"publicKey\":\"" + Base64.getEncoder().encodeToString(certificate.getBytes(
        StandardCharsets.UTF_8)) + "\"}}", time);
  }

  /** The same with the dsse (v0.0.1) entry Rekor makes by default since cosign 2.4. */
  private static String dsseBundle(String envelope, String statement, String signature, long time) throws Exception {
    return logged("{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":\"sha256\","
        + "\"value\":\"" + sha256(envelope) + "\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\""
        + sha256(statement) + "\"},\"signatures\":[{\"signature\":\"" + signature + "\",\"verifier\":\""
        + Base64.getEncoder().encodeToString(leafPem.getBytes(StandardCharsets.UTF_8)) + "\"}]}}", time);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A log entry of {@code entry} at {@code time}, with the test log's SET over it, in cosign's bundle annotation. */
  private static String logged(String entry, long time) throws Exception {
    String body = Base64.getEncoder().encodeToString(entry.getBytes(StandardCharsets.UTF_8));
    String canonical = "{\"body\":\"" + body + "\",\"integratedTime\":" + time + ",\"logID\":\"" + logId
        + "\",\"logIndex\":42}";
    String set = cosign.sign(rekorKey, canonical, "sha256");
    return "{\"SignedEntryTimestamp\":\"" + set + "\",\"Payload\":{\"body\":\"" + body + "\",\"integratedTime\":" + time
        + ",\"logIndex\":42,\"logID\":\"" + logId + "\"}}";
  }

  private static Keyless keyless(String subject, String issuer) {
    return new Keyless(root, subject, Optional.empty(), issuer, Optional.empty());
  }

  private static Verdict check(CosignSignature s, Keyless k) {
    return SignatureCheck.verify(DIGEST, List.of(s), List.of(), Optional.of(k)).get(0);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void validAndEachWayItFails() throws Exception {
    String payload = Cosign.payload("registry.example/app", DIGEST);
    String sig = cosign.sign(leafKey, payload, "sha256");
    String bundle = bundle(payload, sig, now(), payload);
    CosignSignature good = new CosignSignature("tag", payload.getBytes(StandardCharsets.UTF_8), sig, leafPem, rootPem,
        bundle);
    Verdict ok = check(good, keyless(SUBJECT, ISSUER));
    assertThat(ok.valid()).as(ok.reason()).isTrue();
    assertThat(ok.key()).isEqualTo("keyless dev@example.com from https://issuer.example (trusted_root.json)");
    assertThat(check(good, new Keyless(root, "", Optional.of(Pattern.compile(".*@example\\.com")), "",
        Optional.of(Pattern.compile("https://issuer\\..*")))).valid()).as("regular expressions").isTrue();

    assertThat(check(good, keyless(SUBJECT, "https://accounts.google.com")).reason())
        .isEqualTo("the certificate's OIDC issuer `https://issuer.example` is not https://accounts.google.com");
    assertThat(check(good, keyless("ops@example.com", ISSUER)).reason())
        .isEqualTo("the certificate's identity [dev@example.com] is not ops@example.com");

    CosignSignature late = new CosignSignature("tag", good.payload(), sig, leafPem, rootPem,
        bundle(payload, sig, now() + 3 * 86400, payload));
    assertThat(check(late, keyless(SUBJECT, ISSUER)).reason()).as("expired at the log time")
        .contains("was not valid at the log time");

    String otherBody = bundle(payload, sig, now(), payload + " ");
    String setOverOtherBody = bundle.replaceFirst("\"body\":\"[^\"]+\"", "\"body\":\"" + otherBody.replaceFirst(
        ".*\"body\":\"([^\"]+)\".*", "$1") + "\"");
    assertThat(check(new CosignSignature("tag", good.payload(), sig, leafPem, rootPem, setOverOtherBody),
        keyless(SUBJECT, ISSUER)).reason()).as("a SET over another body")
        .contains("signed entry timestamp does not verify");
    assertThat(check(new CosignSignature("tag", good.payload(), sig, leafPem, rootPem, otherBody),
        keyless(SUBJECT, ISSUER)).reason()).as("a log entry of another payload, with its own valid SET")
        .startsWith("the log entry is for another payload");

    Path otherCaKey = cosign.key("other-ca", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    Path otherCa = tmp.resolve("other-ca.pem");
    LocalRegistry.run("openssl", "req", "-x509", "-new", "-key", otherCaKey.toString(), "-subj", "/CN=not fulcio",
        "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-out", otherCa.toString());
    String rogue = issue(leafKey, otherCaKey, otherCa, SUBJECT, ISSUER, "rogue");
    assertThat(check(new CosignSignature("tag", good.payload(), sig, rogue, Files.readString(otherCa),
        bundle(payload, sig, now() + 1, payload)),
        keyless(SUBJECT, ISSUER)).reason()).contains("does not chain to a certificate authority of trusted_root.json");

    String forged = payload.replace("\"optional\":null", "\"optional\":{\"x\":\"y\"}");
    assertThat(check(new CosignSignature("tag", forged.getBytes(StandardCharsets.UTF_8), sig, leafPem, rootPem, bundle),
        keyless(SUBJECT, ISSUER)).valid()).as("a payload changed after signing").isFalse();
    assertThat(check(new CosignSignature("tag", good.payload(), sig, "", "", ""), keyless(SUBJECT, ISSUER)).reason())
        .contains("carries no certificate");
  }

  private static final String SLSA = "https://slsa.dev/provenance/v1";
  private static final String BUILDER = "https://github.com/org/repo/.github/workflows/build.yml@refs/heads/main";

  /** An attestation layer as {@code cosign attest} keyless writes it: the envelope, its certificate, chain and bundle. */
  private static CosignSignature attestation(String envelope, String certificate, String bundle) {
    return new CosignSignature("tag sha256-ab.att", envelope.getBytes(StandardCharsets.UTF_8), "", certificate, rootPem,
        bundle);
  }

  private static Verdict attested(CosignSignature s, Keyless k, List<String> builders) {
    return AttestationCheck.verify(DIGEST, List.of(s), List.of(), Optional.of(k), SLSA, builders).get(0);
  }

  /** Keyless attestations: the envelope signed with the certificate's key, Rekor's intoto entry of it in the bundle. */
  @Test
  void keylessAttestationsAndEachWayTheyFail() throws Exception {
    String statement = Cosign.provenance("registry.example/app", DIGEST, BUILDER);
    String envelope = cosign.envelope(leafKey, statement, "sha256");
    String bundle = intotoBundle(envelope, statement, leafPem, now());
    CosignSignature good = attestation(envelope, leafPem, bundle);
    Verdict ok = attested(good, keyless(SUBJECT, ISSUER), List.of(BUILDER));
    assertThat(ok.valid()).as(ok.reason()).isTrue();
    assertThat(ok.key()).isEqualTo("keyless dev@example.com from https://issuer.example (trusted_root.json)");

    assertThat(attested(good, keyless("ops@example.com", ISSUER), List.of()).reason()).as("another identity")
        .isEqualTo("the certificate's identity [dev@example.com] is not ops@example.com");
    assertThat(attested(good, keyless(SUBJECT, "https://accounts.google.com"), List.of()).valid()).as("another issuer")
        .isFalse();
    assertThat(attested(good, keyless(SUBJECT, ISSUER), List.of("https://laptop.local/me")).reason())
        .as("the builder allow-list applies to keyless attestations too")
        .isEqualTo("the provenance's builder `" + BUILDER + "` is not one of the allowed builders (https://laptop.local/me)");

    String forged = Cosign.provenance("registry.example/app", DIGEST, "https://laptop.local/me");
    String tampered = envelope.replaceFirst("\"payload\":\"[^\"]+\"", "\"payload\":\""
        + Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "\"");
    assertThat(attested(attestation(tampered, leafPem, bundle), keyless(SUBJECT, ISSUER), List.of()).reason())
        .as("a statement changed after signing and logging").startsWith("the log entry is for another envelope");
    assertThat(attested(attestation(tampered, leafPem, intotoBundle(tampered, forged, leafPem, now())),
        keyless(SUBJECT, ISSUER), List.of()).reason()).as("the same, logged anew: the signature is still over the old")
        .isEqualTo("the signature does not verify with the certificate's key");

    String other = Cosign.provenance("registry.example/app", "sha256:" + "cd".repeat(32), BUILDER);
    String otherEnvelope = cosign.envelope(leafKey, other, "sha256");
    assertThat(attested(attestation(otherEnvelope, leafPem, intotoBundle(otherEnvelope, other, leafPem, now())),
        keyless(SUBJECT, ISSUER), List.of()).reason()).as("a valid attestation about another image")
        .isEqualTo("the statement's subject is another image, not " + DIGEST);

    assertThat(attested(attestation(envelope, leafPem, intotoBundle(envelope, statement, rootPem, now())),
        keyless(SUBJECT, ISSUER), List.of()).reason()).isEqualTo("the log entry records another signing certificate");
    String sig = envelope.replaceFirst(".*\"sig\":\"([^\"]+)\".*", "$1");
    assertThat(attested(attestation(envelope, leafPem, bundle(envelope, sig, now(), envelope)), keyless(SUBJECT, ISSUER),
        List.of()).reason()).as("a signature's hashedrekord entry is not an attestation's")
        .isEqualTo("the log entry is a `hashedrekord` entry, not the dsse or intoto entry of an attestation");
    Verdict dsse = attested(attestation(envelope, leafPem, dsseBundle(envelope, statement, sig, now())),
        keyless(SUBJECT, ISSUER), List.of(BUILDER));
    assertThat(dsse.valid()).as("a dsse log entry: " + dsse.reason()).isTrue();
    assertThat(attested(attestation(tampered, leafPem, dsseBundle(envelope, statement, sig, now())),
        keyless(SUBJECT, ISSUER), List.of()).reason()).startsWith("the log entry is for another envelope");
    assertThat(attested(attestation(envelope, leafPem, dsseBundle(envelope, forged, sig, now())),
        keyless(SUBJECT, ISSUER), List.of()).reason()).startsWith("the log entry is for another statement");
    assertThat(attested(attestation(envelope, leafPem, intotoBundle(envelope, statement, leafPem, now() + 3 * 86400)),
        keyless(SUBJECT, ISSUER), List.of()).reason()).contains("was not valid at the log time");
    assertThat(attested(attestation(envelope, "", ""), keyless(SUBJECT, ISSUER), List.of()).reason())
        .contains("carries no certificate");
  }

  /** Keyless provenance at the .att tag of images in the real registry, through kapas image and the imagePolicy. */
  @Test
  void keylessAttestationsThroughTheRegistry() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("att-registry")))) {
      String good = attestedImage(registry, "good", SLSA, d -> Cosign.provenance(registry.host() + "/team/good", d,
          BUILDER));
      String laptop = attestedImage(registry, "laptop", SLSA, d -> Cosign.provenance(registry.host() + "/team/laptop", d,
          "https://laptop.local/me"));
      Path config = tmp.resolve("keyless-att.yaml");
      Files.writeString(config, "imagePolicy:\n  - name: provenance\n    images: \"" + registry.host() + "/team/**\"\n"
          + "    keyless:\n      trustedRoot: trusted_root.json\n      subject: " + SUBJECT + "\n      issuer: " + ISSUER
          + "\n    attestations: [slsaprovenance1]\n    builders: [\"" + BUILDER + "\"]\n");
      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", registry.host(),
          "--config", config.toString(), registry.host() + "/team/good:1", registry.host() + "/team/laptop:1", "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out())
          .contains("the " + SLSA + " attestation at tag sha256-" + laptop.substring(7) + ".att is not valid for policy "
              + "provenance: the provenance's builder `https://laptop.local/me` is not one of the allowed builders")
          .doesNotContain("sha256-" + good.substring(7) + ".att is not valid")
          .contains("\"key\" : \"keyless dev@example.com from https://issuer.example (trusted_root.json)\"");
      assertThat(r.out().split("container.image-attestation-missing\"", -1)).as("one finding, the laptop's").hasSize(2);

      String cdx = "https://cyclonedx.org/bom";
      String sbom = attestedImage(registry, "sbom", cdx, d -> "{\"_type\":\"https://in-toto.io/Statement/v0.1\","
          + "\"subject\":[{\"name\":\"sbom\",\"digest\":{\"sha256\":\"" + d.substring(7) + "\"}}],\"predicateType\":\""
          + cdx + "\",\"predicate\":{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"name\":"
          + "\"left-pad\",\"version\":\"1.0.0\",\"purl\":\"pkg:npm/left-pad@1.0.0\"}]}}");
      Path keylessOnly = tmp.resolve("keyless-sbom.yaml");
      Files.writeString(keylessOnly, "imagePolicy:\n  - name: ci\n    images: \"" + registry.host() + "/team/**\"\n"
          + "    keyless:\n      trustedRoot: trusted_root.json\n      subject: " + SUBJECT + "\n      issuer: " + ISSUER
          + "\n");
      CliRun used = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", registry.host(),
          "--config", keylessOnly.toString(), "--sbom-attestation", "use", registry.host() + "/team/sbom:1", "-f", "json");
      assertThat(used.out()).as("a keyless SBOM attestation is the inventory's source")
          .contains("\"where\" : \"tag sha256-" + sbom.substring(7) + ".att\"", "\"format\" : \"CycloneDX 1.6\"",
              "\"signer\" : \"keyless dev@example.com from https://issuer.example (trusted_root.json)\"",
              "\"packages\" : 1");
    }
  }

  /**
   * Pushes team/NAME:1 and, at its .att tag, a keyless envelope of the statement made for its
   * digest, with a dsse log entry (cosign's default); its digest.
   */
  private static String attestedImage(LocalRegistry registry, String name, String type,
      java.util.function.UnaryOperator<String> statementOf) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve("att-" + name));
    String digest = layout.image("attested " + name, "img");
    registry.pushTag(layout.dir(), "img", "team/" + name + ":1");
    String statement = statementOf.apply(digest);
    String envelope = cosign.envelope(leafKey, statement, "sha256");
    String annotations = "\"" + SignatureFinder.SIGNATURE_ANNOTATION + "\":\"\",\"predicateType\":\"" + type + "\",\""
        + SignatureFinder.CERTIFICATE_ANNOTATION + "\":" + json(leafPem) + ",\"" + SignatureFinder.CHAIN_ANNOTATION + "\":"
        + json(rootPem) + ",\"" + SignatureFinder.BUNDLE_ANNOTATION + "\":" + json(dsseBundle(envelope, statement,
        envelope.replaceFirst(".*\"sig\":\"([^\"]+)\".*", "$1"), now()));
    List<String[]> layers = new ArrayList<>();
    layers.add(new String[] {SignatureFinder.DSSE, envelope, annotations});
    OciLayout att = new OciLayout(tmp.resolve("att-" + name + "-att"));
    Cosign.manifest(att, "att", null, layers);
    registry.pushTag(att.dir(), "att", "team/" + name + ":sha256-" + digest.substring(7) + ".att");
    return digest;
  }

  /** The same signature found in the real registry, its certificate and bundle in cosign's annotations. */
  @Test
  void throughTheRegistryAndImagePolicy() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")))) {
      OciLayout layout = new OciLayout(tmp.resolve("keyless-layout"));
      String digest = layout.image("signed keyless", "img");
      registry.pushTag(layout.dir(), "img", "team/keyless:1");
      String payload = Cosign.payload(registry.host() + "/team/keyless", digest);
      String sig = cosign.sign(leafKey, payload, "sha256");
      String annotations = "\"" + SignatureFinder.SIGNATURE_ANNOTATION + "\":\"" + sig + "\",\""
          + SignatureFinder.CERTIFICATE_ANNOTATION + "\":" + json(leafPem) + ",\"" + SignatureFinder.CHAIN_ANNOTATION
          + "\":" + json(rootPem) + ",\"" + SignatureFinder.BUNDLE_ANNOTATION + "\":"
          + json(bundle(payload, sig, now(), payload));
      List<String[]> layers = new ArrayList<>();
      layers.add(new String[] {SignatureFinder.SIMPLE_SIGNING, payload, annotations});
      OciLayout sigLayout = new OciLayout(tmp.resolve("keyless-sig"));
      Cosign.manifest(sigLayout, "sig", null, layers);
      registry.pushTag(sigLayout.dir(), "sig", "team/keyless:sha256-" + digest.substring(7) + ".sig");
      Path config = tmp.resolve("keyless.yaml");
      Files.writeString(config, "imagePolicy:\n  - name: ci\n    images: \"" + registry.host() + "/team/**\"\n"
          + "    keyless:\n      trustedRoot: trusted_root.json\n      subject: " + SUBJECT + "\n      issuer: "
          + ISSUER + "\n  - name: other-issuer\n    images: \"" + registry.host() + "/team/**\"\n    keyless:\n"
          + "      trustedRoot: trusted_root.json\n      subjectRegExp: \".*@example\\\\.com\"\n      issuer: "
          + "https://token.actions.githubusercontent.com\n");
      CliRun r = CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", registry.host(),
          "--config", config.toString(), registry.host() + "/team/keyless:1", "-f", "json");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out()).contains("\"signed\" : true", "\"key\" : \"keyless dev@example.com from https://issuer.example")
          .contains("is not valid for policy other-issuer: the certificate's OIDC issuer `https://issuer.example` is not "
              + "https://token.actions.githubusercontent.com")
          .doesNotContain("not valid for policy ci");
    }
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}

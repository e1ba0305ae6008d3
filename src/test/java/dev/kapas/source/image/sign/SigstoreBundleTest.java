package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Sigstore bundle (v0.3, Sigstore's staging instance: Fulcio certificate, Rekor entry with
 * SET, inclusion proof and signed checkpoint), from sigstore-python's test data (see
 * src/test/resources/sigstore/README.md), verified offline against the staging trusted root; and
 * the same bundle changed in one place at a time, each change refused with its reason.
 */
class SigstoreBundleTest {
  private static final Path DIR = Path.of("src/test/resources/sigstore");
  private static final byte[] DIGEST = HexFormat.of().parseHex(
      "4191e6b4e2b0260e6e297d4797d2a873584965afef021bf22f2bb7bec41102d0");
  private static final String ISSUER = "https://github.com/login/oauth";
  @TempDir
  Path tmp;

  private static String bundle() throws Exception {
    return Files.readString(DIR.resolve("bundle_v3_alt.txt.sigstore"));
  }

  private static Keyless keyless(String subject) throws Exception {
    TrustedRoot root = TrustedRoot.read(DIR.resolve("trusted_root.staging.json"), "trusted_root.staging.json");
    return new Keyless(root, subject, Optional.empty(), ISSUER, Optional.empty());
  }

  private static Optional<String> problem(String bundle, byte[] digest, Keyless keyless) {
    return SigstoreBundle.problem(bundle.getBytes(StandardCharsets.UTF_8), digest, keyless);
  }

  @Test
  void realBundleVerifiesOffline() throws Exception {
    assertThat(problem(bundle(), DIGEST, keyless("william@yossarian.net"))).isEmpty();
    assertThat(new Keyless(keyless("").root(), "", Optional.of(Pattern.compile(".*@yossarian\\.net")), "",
        Optional.of(Pattern.compile("https://github\\.com/.*"))).name()).contains("yossarian");
  }

  @Test
  void anotherIdentityOrDigestIsRefused() throws Exception {
    assertThat(problem(bundle(), DIGEST, keyless("someone@example.com")))
        .hasValueSatisfying(p -> assertThat(p).contains("identity [william@yossarian.net] is not someone@example.com"));
    byte[] other = DIGEST.clone();
    other[0] ^= 1;
    assertThat(problem(bundle(), other, keyless("william@yossarian.net")))
        .hasValueSatisfying(p -> assertThat(p).startsWith("it signs another digest"));
  }

  @Test
  void tamperedEntryBodyFailsTheSignedEntryTimestamp() throws Exception {
    String b = bundle();
    String body = b.substring(b.indexOf("\"canonicalizedBody\": \"") + 22);
    body = body.substring(0, body.indexOf('"'));
    String tampered = b.replace(body, body.substring(0, 40) + (body.charAt(40) == 'A' ? 'B' : 'A') + body.substring(41));
    assertThat(problem(tampered, DIGEST, keyless("william@yossarian.net")))
        .hasValueSatisfying(p -> assertThat(p).contains("signed entry timestamp does not verify"));
  }

  @Test
  void badInclusionProofIsRefused() throws Exception {
    String bad = bundle().replace("\"Oa+3NjADjkBP1F7UrrJ8l7melp/y6mIlgHuEEGdSDrI=\"",
        "\"Pa+3NjADjkBP1F7UrrJ8l7melp/y6mIlgHuEEGdSDrI=\"");
    assertThat(problem(bad, DIGEST, keyless("william@yossarian.net")))
        .hasValueSatisfying(p -> assertThat(p).contains("inclusion proof does not lead from the entry to the root hash"));
  }

  @Test
  void wrongCheckpointSignatureIsRefused() throws Exception {
    String bad = bundle().replace("32414GQZ6woa", "32414GQZ6wob");
    assertThat(bad).isNotEqualTo(bundle());
    assertThat(problem(bad, DIGEST, keyless("william@yossarian.net")))
        .hasValueSatisfying(p -> assertThat(p).contains("checkpoint's signature does not verify"));
    String otherTree = bundle().replace("8050909264565447525\\n25901179\\n", "8050909264565447525\\n25901180\\n");
    assertThat(problem(otherTree, DIGEST, keyless("william@yossarian.net")))
        .hasValueSatisfying(p -> assertThat(p).contains("checkpoint is for another tree"));
  }

  /** The same log key, but a certificate authority (made here by openssl) the certificate does not chain to. */
  @Test
  void anotherCertificateAuthorityIsRefused() throws Exception {
    Path ca = tmp.resolve("ca.pem");
    LocalRegistry.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-days", "2", "-subj", "/CN=not fulcio", "-keyout", tmp.resolve("ca.key").toString(), "-out", ca.toString());
    String der = Files.readString(ca).replaceAll("-----[A-Z ]+-----|\\s", "");
    String root = Files.readString(DIR.resolve("trusted_root.staging.json"));
    String replaced = root.substring(0, root.indexOf("\"certChain\"")) + "\"certChain\": {\"certificates\": [{\"rawBytes\": \""
        + der + "\"}]}}]}";
    Path other = Files.writeString(tmp.resolve("other_root.json"), replaced);
    Keyless k = new Keyless(TrustedRoot.read(other, "other_root.json"), "william@yossarian.net", Optional.empty(),
        ISSUER, Optional.empty());
    assertThat(problem(bundle(), DIGEST, k)).hasValueSatisfying(p -> assertThat(p).contains(
        "does not chain to a certificate authority of other_root.json"));
  }

  /**
   * A real DSSE bundle of Sigstore's staging instance (sigstore-python's test data): an in-toto
   * SLSA statement, a Fulcio certificate, an entry in the Rekor v2 log (kind dsse v0.0.2, Ed25519
   * checkpoint, no signed entry timestamp) and an RFC 3161 timestamp of the staging TSA, verified
   * against the staging trusted root of 2025 (which has that log and TSA).
   */
  @Test
  void realDsseBundleWithRekorV2AndTimestampVerifies() throws Exception {
    SigstoreBundle.Checked c = dsse(dsseBundle(), DSSE_SUBJECT, root2025());
    assertThat(c.problem()).isEmpty();
    assertThat(c.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(c.isSignature()).as("an attestation, not an image signature").isFalse();
    assertThat(c.signer()).startsWith("keyless " + DSSE_IDENTITY);
  }

  @Test
  void dsseBundleChangedOrElsewhereIsRefused() throws Exception {
    String b = dsseBundle();
    assertThat(dsse(b, "sha256:" + "ab".repeat(32), root2025()).problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("its statement's subject is another artifact"));
    String payload = b.substring(b.indexOf("\"payload\": \"") + 12);
    payload = payload.substring(0, payload.indexOf('"'));
    String statement = new String(java.util.Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
    String forged = java.util.Base64.getEncoder().encodeToString(statement.replace("refs/tags/1.21.0", "refs/tags/9.9.9")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(dsse(b.replace(payload, forged), DSSE_SUBJECT, root2025()).problem()).as("payload changed after signing")
        .hasValueSatisfying(p -> assertThat(p).isEqualTo("the log entry is for another payload"));
    String noStamp = b.substring(0, b.indexOf(", \"timestampVerificationData\"")) + "}"
        + b.substring(b.indexOf(", \"dsseEnvelope\""));
    assertThat(dsse(noStamp, DSSE_SUBJECT, root2025()).problem()).as("no SET and no timestamp")
        .hasValueSatisfying(p -> assertThat(p).contains("no signed entry timestamp and the bundle no timestamp"));
    String root = Files.readString(DIR.resolve("trusted_root.staging-2025.json"));
    Path noTsa = Files.writeString(tmp.resolve("no_tsa.json"), root.substring(0, root.indexOf(",\n  \"timestampAuthorities\""))
        + "\n}\n");
    assertThat(dsse(b, DSSE_SUBJECT, TrustedRoot.read(noTsa, "no_tsa.json")).problem()).as("TSA not in the root")
        .hasValue("RFC 3161 timestamp 1: the timestamp is not signed by a timestamp authority of no_tsa.json");
    String sig = "MEYCIQCqztBBMzbbe7jSz5qP8OwSxJX0EoESHh9wmnEycS7wKwIhALwPHiktogQcx";
    assertThat(dsse(b.replace("\"sig\": \"" + sig, "\"sig\": \"" + sig.replace("MEYCIQCq", "MEYCIQCr")), DSSE_SUBJECT,
        root2025()).problem()).as("another signature: the timestamp is not over it")
        .hasValueSatisfying(p -> assertThat(p).startsWith("RFC 3161 timestamp 1: the timestamp is over another message"));
  }

  private static final String DSSE_SUBJECT = "sha256:e248a5db4933dba6578200238c91a57f5e65b925b73050ae786933468b7ac101";
  private static final String DSSE_IDENTITY = "insecure-cloudtop-shared-user@cloudtop-prod-us-east.iam.gserviceaccount.com";

  private static String dsseBundle() throws Exception {
    return Files.readString(DIR.resolve("a.dsse.staging-rekor-v2.txt.sigstore.json"));
  }

  private static TrustedRoot root2025() throws Exception {
    return TrustedRoot.read(DIR.resolve("trusted_root.staging-2025.json"), "trusted_root.staging-2025.json");
  }

  private static SigstoreBundle.Checked dsse(String bundle, String digest, TrustedRoot root) {
    return SigstoreBundle.check(bundle.getBytes(StandardCharsets.UTF_8), digest, Optional.empty(), List.of(),
        Optional.of(new Keyless(root, DSSE_IDENTITY, Optional.empty(), "https://accounts.google.com", Optional.empty())));
  }

  /** The real staging timestamp cut short at every length, and with each byte changed: refused or verified, never a crash. */
  @Test
  void damagedTimestampsAreRefusedWithoutCrashing() throws Exception {
    com.fasterxml.jackson.databind.JsonNode b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dsseBundle());
    byte[] stamp = java.util.Base64.getDecoder().decode(b.path("verificationMaterial").path("timestampVerificationData")
        .path("rfc3161Timestamps").path(0).path("signedTimestamp").asText());
    byte[] sig = java.util.Base64.getDecoder().decode(b.path("dsseEnvelope").path("signatures").path(0).path("sig")
        .asText());
    TrustedRoot root = root2025();
    assertThat(Rfc3161.verify(stamp, sig, root).time()).hasValue(java.time.Instant.parse("2025-06-09T21:06:28Z"));
    for (int n = 0; n < stamp.length; n++) {
      assertThat(Rfc3161.verify(java.util.Arrays.copyOf(stamp, n), sig, root).problem()).as("cut at %d", n).isNotEmpty();
    }
    for (int i = 0; i < stamp.length; i++) {
      byte[] changed = stamp.clone();
      changed[i] ^= 0x01;
      Rfc3161.Result r = Rfc3161.verify(changed, sig, root);
      assertThat(r.time().isPresent()).as("byte %d", i).isEqualTo(r.problem().isEmpty());
      // what is signed or checked must not change: the TSTInfo (bytes 50-245, per openssl asn1parse)
      // and, from the signer's digest algorithm on (875-), the signed attributes and the signature.
      // Unsigned, and free to change: the status, versions, the certificates the token carries (the
      // root's are used) and the signer's issuer and serial (the ESS attribute names the certificate)
      if ((i >= 50 && i < 246) || i >= 875) {
        assertThat(r.time()).as("byte %d changed", i).isEmpty();
      }
    }
  }
}

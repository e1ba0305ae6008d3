package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
}

package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import dev.kapas.vuln.OsvFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas image --sbom-attestation use}: images in the real registry whose layers hold no
 * package, each with a CycloneDX or SPDX attestation at its {@code .att} tag (DSSE envelopes
 * signed by OpenSSL) listing packages that the real OSV records of shared/fixtures/osv, imported
 * with {@code kapas db import}, know to be vulnerable. Only a verified attestation's packages are
 * matched.
 */
class SbomAttestationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CDX = "https://cyclonedx.org/bom";
  private static final String SPDX = "https://spdx.dev/Document";
  private static final String COMPRESS = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
      + "\"components\":[{\"type\":\"library\",\"group\":\"org.apache.commons\",\"name\":\"commons-compress\","
      + "\"version\":\"1.21\",\"purl\":\"pkg:maven/org.apache.commons/commons-compress@1.21\"}]}";
  private static final String NGINX = "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":"
      + "\"SPDXRef-DOCUMENT\",\"name\":\"team/spdx\",\"packages\":[{\"SPDXID\":\"SPDXRef-nginx\",\"name\":\"nginx-full\","
      + "\"versionInfo\":\"1.2.1-2.2+wheezy2\",\"sourceInfo\":\"built package from: nginx 1.2.1-2.2+wheezy2\","
      + "\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":"
      + "\"pkg:deb/debian/nginx-full@1.2.1-2.2%2Bwheezy2?arch=amd64&distro=debian-7\"}]}]}";
  /** Syft's way: the source package in the upstream qualifier; no distro qualifier, no operating-system component. */
  private static final String NGINX_NO_DISTRO = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{"
      + "\"type\":\"library\",\"name\":\"nginx-full\",\"version\":\"1.2.1-2.2+wheezy2\",\"purl\":"
      + "\"pkg:deb/debian/nginx-full@1.2.1-2.2%2Bwheezy2?arch=amd64&upstream=nginx\"}]}";
  @TempDir
  static Path tmp;
  private static Cosign cosign;
  private static Path key;
  private static Path otherKey;

  @BeforeAll
  static void keysAndDatabase() throws Exception {
    cosign = new Cosign(tmp);
    key = cosign.key("team", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    otherKey = cosign.key("laptop", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    CliRun db = CliRun.in(tmp, "db", "import", "--db", "db", OsvFixtures.ADVISORIES.resolve("Debian").toString(),
        OsvFixtures.ADVISORIES.resolve("Maven").toString());
    assertThat(db.exitCode()).as(db.all()).isZero();
  }

  private static CliRun image(String... args) {
    return CliRun.in(tmp, Map.of("HOME", tmp.toString(), "XDG_CACHE_HOME", tmp.resolve("cache").toString()), args);
  }

  @Test
  void onlyAVerifiedSbomAttestationFeedsTheMatcher() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")))) {
      String host = registry.host();
      String cdx = push(registry, "cdx");
      attest(registry, "cdx", cdx, CDX, COMPRESS, cdx, key);
      String spdx = push(registry, "spdx");
      // cosign attest --type spdx (not spdxjson) puts the document in the statement as a string
      attest(registry, "spdx", spdx, SPDX, JSON.writeValueAsString(NGINX), spdx, key);
      String rogue = push(registry, "rogue");
      attest(registry, "rogue", rogue, CDX, COMPRESS, rogue, otherKey);
      OciLayout wheezy = new OciLayout(tmp.resolve("image-wheezy"));
      String debian = wheezy.image("etc/os-release", "ID=debian\nVERSION_ID=\"7\"\nPRETTY_NAME=\"Debian 7\"\n", "img");
      registry.pushTag(wheezy.dir(), "img", "team/wheezy:1");
      attest(registry, "wheezy", debian, CDX, NGINX_NO_DISTRO, debian, key);
      String copied = push(registry, "copied");
      attest(registry, "copied", copied, CDX, COMPRESS, cdx, key);
      List<String> refs = List.of(host + "/team/cdx:1", host + "/team/spdx:1", host + "/team/rogue:1",
          host + "/team/copied:1", host + "/team/wheezy:1");

      List<String> use = new ArrayList<>(List.of("image", "--insecure-registry", host, "--db", "db", "-f", "json",
          "--key", Cosign.pub(key).toString(), "--sbom-attestation", "use"));
      use.addAll(refs);
      CliRun r = image(use.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      JsonNode report = JSON.readTree(r.out());
      assertThat(vulnerable(report)).containsExactlyInAnyOrder(
          host + "/team/cdx:1: org.apache.commons:commons-compress 1.21 GHSA-4g9r-vxhx-9pgx",
          host + "/team/spdx:1: nginx-full 1.2.1-2.2+wheezy2 DSA-3029-1",
          // the SBOM names no distribution: its deb packages are the image's os-release's, Debian 7
          host + "/team/wheezy:1: nginx-full 1.2.1-2.2+wheezy2 DSA-3029-1");
      JsonNode used = report.path("sbomAttestations");
      assertThat(used).hasSize(3);
      assertThat(used.get(0).path("image").asText()).isEqualTo(host + "/team/cdx:1");
      assertThat(used.get(0).path("inventory").asText()).isEqualTo("attestation");
      assertThat(used.get(0).path("format").asText()).isEqualTo("CycloneDX 1.5");
      assertThat(used.get(0).path("where").asText()).isEqualTo("tag sha256-" + cdx.substring(7) + ".att");
      assertThat(used.get(0).path("signer").asText()).isEqualTo(Cosign.pub(key).toString());
      assertThat(used.get(1).path("format").asText()).isEqualTo("SPDX-2.3");
      assertThat(r.out())
          .contains("vulnerabilities matched against the 1 packages of its CycloneDX 1.5 SBOM attestation at tag sha256-"
              + cdx.substring(7) + ".att (verified for policy --key by " + Cosign.pub(key) + "), not those catalogued")
          .contains("the SBOM attestation at tag sha256-" + rogue.substring(7) + ".att is not valid for policy --key "
              + "(the envelope's signature does not verify with " + Cosign.pub(key) + "), so it is not used")
          .contains("the SBOM attestation at tag sha256-" + copied.substring(7) + ".att is not valid for policy --key "
              + "(the statement's subject is another image, not " + copied + "), so it is not used");

      List<String> ignore = new ArrayList<>(List.of("image", "--insecure-registry", host, "--db", "db", "-f", "json",
          "--key", Cosign.pub(key).toString()));
      ignore.addAll(refs);
      CliRun byDefault = image(ignore.toArray(String[]::new));
      assertThat(byDefault.exitCode()).as(byDefault.all()).isEqualTo(1);
      assertThat(vulnerable(JSON.readTree(byDefault.out()))).as("attestations are used only when asked for").isEmpty();
      assertThat(JSON.readTree(byDefault.out()).path("sbomAttestations").isMissingNode()).isTrue();

      CliRun noKey = image("image", "--insecure-registry", host, "--db", "db", "--sbom-attestation", "use", refs.get(0));
      assertThat(noKey.exitCode()).isEqualTo(2);
      assertThat(noKey.err()).contains("--sbom-attestation use: an SBOM attestation is used only when it verifies");
      CliRun bad = image("image", "--insecure-registry", host, "--sbom-attestation", "always", refs.get(0));
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.err()).contains("--sbom-attestation: expected use or ignore, not `always`");
    }
  }

  /**
   * Versioned predicate types, as the in-toto predicate list and GitHub's attest-sbom write them:
   * {@code https://cyclonedx.org/bom/v1.5} and {@code https://spdx.dev/Document/v2.3} are SBOM
   * attestations too; a type that only begins like one is not.
   */
  @Test
  void versionedSbomPredicateTypes() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry-versioned")))) {
      String host = registry.host();
      String cdx = push(registry, "cdx-v15");
      attest(registry, "cdx-v15", cdx, CDX + "/v1.5", COMPRESS, cdx, key);
      String spdx = push(registry, "spdx-v23");
      attest(registry, "spdx-v23", spdx, SPDX + "/v2.3", NGINX, spdx, key);
      String like = push(registry, "lookalike");
      attest(registry, "lookalike", like, CDX + "-like/v1", COMPRESS, like, key);
      CliRun r = image("image", "--insecure-registry", host, "--db", "db", "-f", "json", "--key",
          Cosign.pub(key).toString(), "--sbom-attestation", "use", host + "/team/cdx-v15:1", host + "/team/spdx-v23:1",
          host + "/team/lookalike:1");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      JsonNode report = JSON.readTree(r.out());
      assertThat(vulnerable(report)).containsExactlyInAnyOrder(
          host + "/team/cdx-v15:1: org.apache.commons:commons-compress 1.21 GHSA-4g9r-vxhx-9pgx",
          host + "/team/spdx-v23:1: nginx-full 1.2.1-2.2+wheezy2 DSA-3029-1");
      JsonNode used = report.path("sbomAttestations");
      assertThat(used).hasSize(2);
      assertThat(used.get(0).path("predicateType").asText()).isEqualTo(CDX + "/v1.5");
      assertThat(used.get(1).path("predicateType").asText()).isEqualTo(SPDX + "/v2.3");
      assertThat(r.out()).contains("no SBOM attestation (CycloneDX or SPDX) found");
    }
  }

  @Test
  void sbomTypesBareOrVersioned() {
    assertThat(List.of(CDX, CDX + "/v1.4", CDX + "/v1.6", SPDX, SPDX + "/v2.2", SPDX + "/v2.3", SPDX + "/v3"))
        .allMatch(ImageSignatures::isSbomType);
    assertThat(List.of(CDX + "/", CDX + "/v", CDX + "/v1.x", CDX + "s", SPDX + "ation", SPDX + "/v2.3/extra",
        "https://slsa.dev/provenance/v1")).noneMatch(ImageSignatures::isSbomType);
  }

  /**
   * {@code imagePolicy.attestations} names a predicate type exactly, as {@code cosign
   * verify-attestation --type} and policy-controller compare it: an entry asking for {@code
   * https://spdx.dev/Document} is not met by a {@code …/v2.3} statement (it names that type to
   * require it).
   */
  @Test
  void policyAttestationTypesMatchExactly() throws Exception {
    String digest = "sha256:" + "ef".repeat(32);
    String statement = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":{"
        + "\"sha256\":\"" + digest.substring(7) + "\"}}],\"predicateType\":\"" + SPDX + "/v2.3\",\"predicate\":" + NGINX + "}";
    CosignSignature envelope = new CosignSignature("tag sha256-ef.att", cosign.envelope(key, statement, "sha256")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
    List<TrustedKey> keys = List.of(TrustedKey.read(Cosign.pub(key), "team.pub"));
    assertThat(AttestationCheck.verify(digest, List.of(envelope), keys, SPDX, List.of())).as("bare type asked").isEmpty();
    assertThat(AttestationCheck.verify(digest, List.of(envelope), keys, SPDX + "/v2.3", List.of()))
        .singleElement().satisfies(v -> assertThat(v.valid()).as(v.reason()).isTrue());
  }

  /** image: package, name, version, advisory ID, for each container.image-vulnerable finding. */
  private static List<String> vulnerable(JsonNode report) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      if (f.path("ruleId").asText().equals("container.image-vulnerable")) {
        String m = f.path("message").asText();
        out.add(f.path("location").path("file").asText() + ": " + m.substring(0, m.indexOf(" is affected by "))
            + " " + m.replaceFirst(".*? \\(([^)]+)\\).*", "$1"));
      }
    }
    return out;
  }

  /** Pushes team/NAME:1, an image whose layer holds one file and no package; its digest. */
  private static String push(LocalRegistry registry, String name) throws Exception {
    OciLayout layout = new OciLayout(tmp.resolve("image-" + name));
    String digest = layout.image("no packages here: " + name, "img");
    registry.pushTag(layout.dir(), "img", "team/" + name + ":1");
    return digest;
  }

  /** At team/NAME's .att tag for {@code digest}: an attestation about {@code subject} with {@code sbom}, signed with {@code by}. */
  private static void attest(LocalRegistry registry, String name, String digest, String type, String sbom,
      String subject, Path by) throws Exception {
    String statement = "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"name\":\"" + registry.host()
        + "/team/" + name + "\",\"digest\":{\"sha256\":\"" + subject.substring(7) + "\"}}],\"predicateType\":\"" + type
        + "\",\"predicate\":" + sbom + "}";
    OciLayout att = new OciLayout(tmp.resolve("att-" + name));
    Cosign.attestationManifest(att, "att", type, cosign.envelope(by, statement, "sha256"));
    registry.pushTag(att.dir(), "att", "team/" + name + ":sha256-" + digest.substring(7) + ".att");
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import dev.kapas.source.image.TestImages;
import dev.kapas.source.image.catalog.CycloneDxSchema;
import dev.kapas.vuln.OsvFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas image} from an OCI layout assembled here (this machine's dpkg status relabelled
 * Debian 7 with nginx-full from nginx 1.2.1-2.2+wheezy2, and the commons-compress 1.21 jar Maven
 * fetched), against a database imported with {@code kapas db import} from the real OSV records of
 * shared/fixtures/osv: vulnerabilities, SBOMs out and in.
 */
class ImageCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path work;
  private String lowerLayer;
  private String upperLayer;

  @BeforeEach
  void imageAndDatabase() throws IOException {
    assumeTrue(Files.isRegularFile(TestImages.COMMONS_COMPRESS_121), "commons-compress 1.21 is not in ~/.m2");
    TestImages.writeVulnerable(work.resolve("app"));
    CliRun db = CliRun.in(work, "db", "import", "--db", "db", OsvFixtures.ADVISORIES.resolve("Debian").toString(),
        OsvFixtures.ADVISORIES.resolve("Maven").toString());
    assertThat(db.exitCode()).as(db.all()).isZero();
    String config = Files.readString(Files.list(work.resolve("app/blobs/sha256")).filter(this::isConfig).findFirst()
        .orElseThrow());
    List<String> diffIds = new ArrayList<>();
    JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
    lowerLayer = diffIds.get(0);
    upperLayer = diffIds.get(1);
  }

  private boolean isConfig(Path blob) {
    try {
      return Files.size(blob) < 100_000 && Files.readString(blob).contains("\"diff_ids\"");
    } catch (IOException e) {
      return false;
    }
  }

  private CliRun image(String... args) {
    return CliRun.in(work, Map.of("XDG_CACHE_HOME", work.resolve("cache").toString()), args);
  }

  private static List<JsonNode> findings(String json, String rule) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(json).path("findings").forEach(f -> {
      if (f.path("ruleId").asText().equals(rule)) {
        out.add(f);
      }
    });
    return out;
  }

  @Test
  void distributionAndJavaPackagesAreMatchedOncePerPackageAndVulnerability() throws IOException {
    CliRun r = image("image", "app", "--db", "db", "-f", "json");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("vulnerability database: ", "built ");
    List<JsonNode> vulns = findings(r.out(), "container.image-vulnerable");
    List<String> messages = vulns.stream().map(f -> f.path("message").asText()).toList();
    assertThat(messages).filteredOn(m -> m.contains("DSA-3029-1")).singleElement().asString()
        .startsWith("nginx-full 1.2.1-2.2+wheezy2 is affected by CVE-2014-3616 (DSA-3029-1)")
        .contains("fixed in 1.2.1-2.2+wheezy3", "installed by layer " + lowerLayer + " (var/lib/dpkg/status)");
    assertThat(messages).filteredOn(m -> m.contains("GHSA-4g9r-vxhx-9pgx")).singleElement().asString()
        .startsWith("org.apache.commons:commons-compress 1.21 is affected by CVE-2024-25710 (GHSA-4g9r-vxhx-9pgx)")
        .contains("fixed in 1.26.0", "installed by layer " + upperLayer + " (opt/app/lib/commons-compress-1.21.jar)");
    Set<String> keys = new HashSet<>();
    for (JsonNode f : vulns) {
      assertThat(f.path("location").path("file").asText()).isEqualTo("app");
      assertThat(keys.add(f.path("message").asText())).as("one finding per package and vulnerability").isTrue();
    }
    // the JSON report lists the inventory, each package with its layer
    JsonNode packages = JSON.readTree(r.out()).path("images").get(0).path("packages");
    assertThat(packages.size()).isGreaterThan(1);
    assertThat(packages.findValuesAsText("name")).contains("nginx-full", "org.apache.commons:commons-compress");
    // the image rules ran beside the matcher
    assertThat(findings(r.out(), "container.image-runs-as-root")).hasSize(1);

    CliRun unfixed = image("image", "app", "--db", "db", "-f", "json", "--ignore-unfixed", "--vuln-severity", "critical");
    assertThat(findings(unfixed.out(), "container.image-vulnerable")).extracting(f -> f.path("message").asText())
        .noneMatch(m -> m.contains("commons-compress"));
  }

  @Test
  void withoutADatabaseTheImageRulesStillRunAndItIsSaid() throws IOException {
    CliRun r = image("image", "app", "-f", "json", "--fail-on", "medium");
    assertThat(r.err()).contains("no vulnerability database in " + work.resolve("cache/kapas/db"),
        "container.image-vulnerable was not checked", "kapas db update");
    assertThat(r.exitCode()).as("the image rules decide: runs as root, medium").isEqualTo(1);
    assertThat(findings(r.out(), "container.image-runs-as-root")).hasSize(1);
    assertThat(findings(r.out(), "container.image-vulnerable")).isEmpty();
    assertThat(r.out()).contains("container.image-vulnerable was not checked");

    CliRun named = image("image", "app", "--db", "elsewhere");
    assertThat(named.exitCode()).as("a --db that holds no database is a usage error, as for kapas code").isEqualTo(2);
    assertThat(named.err()).contains("--db elsewhere: no vulnerability database there");
  }

  @Test
  void cycloneDxOutIsValidAndReadsBackToTheSameVulnerabilities() throws Exception {
    CliRun r = image("image", "app", "--db", "db", "-f", "cyclonedx", "-o", "app.cdx.json");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    String bom = Files.readString(work.resolve("app.cdx.json"));
    assertThat(CycloneDxSchema.v16().validate(bom, InputFormat.JSON)).isEmpty();
    JsonNode root = JSON.readTree(bom);
    assertThat(root.path("metadata").path("component").path("name").asText()).isEqualTo("app");
    JsonNode compress = null;
    for (JsonNode c : root.path("components")) {
      if (c.path("type").asText().equals("library")) {
        assertThat(c.path("purl").asText()).startsWith("pkg:");
      }
      if (c.path("name").asText().equals("org.apache.commons:commons-compress")) {
        compress = c;
      }
    }
    assertThat(compress).isNotNull();
    assertThat(compress.path("purl").asText()).isEqualTo("pkg:maven/org.apache.commons/commons-compress@1.21");
    assertThat(compress.path("properties").toString()).contains(upperLayer, "opt/app/lib/commons-compress-1.21.jar");

    CliRun back = image("image", "--sbom", "app.cdx.json", "--db", "db", "-f", "json");
    assertThat(back.exitCode()).as(back.all()).isEqualTo(1);
    assertThat(findings(back.out(), "container.image-vulnerable")).extracting(f -> f.path("message").asText())
        .anyMatch(m -> m.startsWith("nginx-full 1.2.1-2.2+wheezy2 is affected by CVE-2014-3616 (DSA-3029-1)"))
        .anyMatch(m -> m.contains("CVE-2024-25710") && m.contains("installed by layer " + upperLayer));
    assertThat(findings(back.out(), "container.image-runs-as-root")).as("an SBOM has no config to judge").isEmpty();
    assertThat(findings(back.out(), "container.image-os-eol")).as("the SBOM names Debian 7").singleElement()
        .satisfies(f -> assertThat(f.path("message").asText()).startsWith("SBOM app.cdx.json is debian 7, whose security support ended on 2018-05-31"));
  }

  @Test
  void spdxOutHasTheStructureSpdx23Requires() throws Exception {
    CliRun r = image("image", "app", "--db", "db", "-f", "spdx-json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    JsonNode doc = JSON.readTree(r.out());
    assertThat(doc.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(doc.path("dataLicense").asText()).isEqualTo("CC0-1.0");
    assertThat(doc.path("SPDXID").asText()).isEqualTo("SPDXRef-DOCUMENT");
    assertThat(doc.path("documentNamespace").asText()).startsWith("https://");
    assertThat(doc.path("creationInfo").path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    Set<String> ids = new HashSet<>();
    int withPurl = 0;
    for (JsonNode p : doc.path("packages")) {
      assertThat(p.path("name").asText()).isNotEmpty();
      assertThat(p.path("downloadLocation").asText()).isNotEmpty();
      assertThat(ids.add(p.path("SPDXID").asText())).as("SPDXIDs are unique").isTrue();
      assertThat(p.path("SPDXID").asText()).matches("SPDXRef-[A-Za-z0-9.-]+");
      if (p.path("externalRefs").toString().contains("\"purl\"")) {
        withPurl++;
      }
    }
    assertThat(withPurl).isEqualTo(doc.path("packages").size() - 2); // all but the image and the OS
    for (JsonNode rel : doc.path("relationships")) {
      assertThat(ids).as("relationships name packages of the document")
          .contains(rel.path("relatedSpdxElement").asText());
    }
    assertThat(r.out()).contains("LayerDigest: " + lowerLayer, "LayerDigest: " + upperLayer);
  }

  @Test
  void sbomsOfOtherToolsAreReadAndAFileThatIsNotOneIsAnInputError() throws IOException {
    Files.copy(Path.of("src/test/resources/catalog/sbom/trivy-cyclonedx.json"), work.resolve("trivy.json"));
    Files.copy(Path.of("src/test/resources/catalog/sbom/syft-spdx.json"), work.resolve("syft.json"));
    Files.writeString(work.resolve("deploy.yaml"), "apiVersion: v1\nkind: Pod\n");
    CliRun r = image("image", "--sbom", "trivy.json", "--sbom", "deploy.yaml", "--sbom", "syft.json", "--db", "db",
        "-f", "json");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.err()).contains("error: deploy.yaml:1: not an SBOM: not valid JSON");
    JsonNode sboms = JSON.readTree(r.out()).path("sboms");
    assertThat(sboms.findValuesAsText("file")).containsExactly("trivy.json", "syft.json");
    assertThat(sboms.findValuesAsText("format")).containsExactly("CycloneDX 1.5", "SPDX-2.3");
    assertThat(sboms.get(1).path("packages").size()).isPositive();

    CliRun two = image("image", "app", "--sbom", "syft.json", "-f", "cyclonedx");
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(two.err()).contains("writes the SBOM of one image");
    CliRun scan = CliRun.in(work, "scan", "deploy.yaml", "-f", "cyclonedx");
    assertThat(scan.exitCode()).isEqualTo(2);
    assertThat(scan.err()).contains("--format cyclonedx is an SBOM of an image; `kapas image` writes it");
  }

  @Test
  void theImageRulesThatNeedOnlyTheInventoryJudgeAnSbom() throws IOException {
    // Trivy's CycloneDX SBOM of a Debian 12.5 image, made to name Debian 9 (past its LTS, 2022) and
    // to list openssh-server as Trivy lists a deb package
    ObjectNode bom = (ObjectNode) JSON.readTree(Path.of("src/test/resources/catalog/sbom/trivy-cyclonedx.json").toFile());
    for (JsonNode c : bom.path("components")) {
      if (c.path("type").asText().equals("operating-system")) {
        ((ObjectNode) c).put("version", "9");
      }
    }
    ((com.fasterxml.jackson.databind.node.ArrayNode) bom.path("components")).addObject().put("type", "library")
        .put("bom-ref", "openssh-server").put("name", "openssh-server").put("version", "1:7.4p1-10+deb9u7")
        .put("purl", "pkg:deb/debian/openssh-server@1:7.4p1-10+deb9u7?arch=amd64&distro=debian-9");
    Files.writeString(work.resolve("old.json"), bom.toString());
    Files.copy(Path.of("src/test/resources/catalog/sbom/trivy-cyclonedx.json"), work.resolve("current.json"));

    CliRun r = image("image", "--sbom", "old.json", "--sbom", "current.json", "-f", "json", "--fail-on", "none");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(findings(r.out(), "container.image-os-eol")).extracting(f -> f.path("message").asText())
        .singleElement().satisfies(m -> assertThat(m).startsWith("SBOM old.json is ").contains("security support ended"));
    assertThat(findings(r.out(), "container.image-ssh-server")).extracting(f -> f.path("message").asText())
        .containsExactly("SBOM old.json has the SSH server package openssh-server 1:7.4p1-10+deb9u7 installed");
  }
}

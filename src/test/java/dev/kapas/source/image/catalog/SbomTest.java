package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.kapas.model.SoftwarePackage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SBOM out and in: CycloneDX 1.6 validated against the official schema cyclonedx-core-java ships
 * (bom-1.6 with its spdx and jsf parts), SPDX 2.3 against the specification's required fields (no
 * Maven artifact at hand ships the SPDX 2.3 JSON schema), both read back to the same packages; and
 * SBOMs shaped as Trivy and Syft write them (see src/test/resources/catalog/sbom/README.md).
 */
class SbomTest {
  private static final Path SAMPLES = Path.of("src/test/resources/catalog/sbom");
  private static final String LAYER_OS = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  private static final String LAYER_APP = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  private static final SbomSubject SUBJECT =
      new SbomSubject("registry.example.com/shop:1.0", "sha256:3333333333333333333333333333333333333333333333333333333333333333");

  @TempDir Path work;
  private Catalog catalog;

  /** An image of two layers: Alpine's real package database, then an app layer with an npm package. */
  @BeforeEach
  void image() throws IOException {
    catalog = new Catalog();
    feed("etc/os-release", LAYER_OS, "ID=alpine\nVERSION_ID=3.18.0\nPRETTY_NAME=\"Alpine Linux v3.18\"\n".getBytes());
    feed("lib/apk/db/installed", LAYER_OS, Files.readAllBytes(Path.of("../shared/fixtures/pkgdb/apk/installed")));
    feed("app/node_modules/@babel/core/package.json", LAYER_APP, "{\"name\":\"@babel/core\",\"version\":\"7.24.0\"}".getBytes());
    assertThat(catalog.packages()).hasSize(16);
  }

  @Test
  void cycloneDxIsValidAgainstTheOfficial16SchemaAndReadsBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SbomWriter.writeCycloneDx(SUBJECT, catalog.os(), catalog.packages(), out);

    Schema schema = CycloneDxSchema.v16();
    List<Error> errors = schema.validate(out.toString(StandardCharsets.UTF_8), InputFormat.JSON);
    assertThat(errors).isEmpty();
    // the schema does reject: a component without a name, of a type CycloneDX does not have
    assertThat(schema.validate("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"type\": \"gadget\"}]}",
        InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
    JsonNode bom = new ObjectMapper().readTree(out.toByteArray());
    assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(bom.path("metadata").path("component").path("version").asText()).isEqualTo(SUBJECT.digest());
    assertThat(bom.path("components").get(0).path("type").asText()).isEqualTo("operating-system");
    for (JsonNode c : bom.path("components")) {
      if (c.path("type").asText().equals("library")) {
        assertThat(c.path("purl").asText()).startsWith("pkg:");
      }
    }

    Path file = work.resolve("bom.cdx.json");
    Files.write(file, out.toByteArray());
    SbomReader.Contents back = SbomReader.read(file);
    assertThat(back.format()).isEqualTo("CycloneDX 1.6");
    assertThat(back.subject()).isEqualTo(SUBJECT.reference());
    assertThat(back.os().map(OsRelease::ecosystem)).contains("Alpine:v3.18");
    assertThat(back.packages()).containsExactlyElementsOf(withoutLines(catalog.packages()));
  }

  @Test
  void spdxHasTheRequiredFieldsAndReadsBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SbomWriter.writeSpdx(SUBJECT, catalog.os(), catalog.packages(), out);
    JsonNode doc = new ObjectMapper().readTree(out.toByteArray());

    // SPDX 2.3 clauses 6.1-6.9 (document creation) and 7.1/7.2/7.7/7.8 (package name, id, download location, filesAnalyzed)
    assertThat(doc.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(doc.path("dataLicense").asText()).isEqualTo("CC0-1.0");
    assertThat(doc.path("SPDXID").asText()).isEqualTo("SPDXRef-DOCUMENT");
    assertThat(doc.path("name").asText()).isEqualTo(SUBJECT.reference());
    assertThat(doc.path("documentNamespace").asText()).matches("https://[^#]+");
    assertThat(doc.path("creationInfo").path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(doc.path("creationInfo").path("creators").get(0).asText()).startsWith("Tool: kapas-");
    Set<String> ids = new HashSet<>();
    for (JsonNode p : doc.path("packages")) {
      assertThat(p.path("name").asText()).isNotEmpty();
      assertThat(p.path("SPDXID").asText()).matches("SPDXRef-[A-Za-z0-9.\\-]+");
      assertThat(p.path("downloadLocation").asText()).isEqualTo("NOASSERTION");
      assertThat(p.has("filesAnalyzed")).isTrue();
      assertThat(ids.add(p.path("SPDXID").asText())).as("unique SPDXID").isTrue();
    }
    assertThat(ids).hasSize(18); // the image, the OS, 16 packages
    for (JsonNode r : doc.path("relationships")) {
      assertThat(ids).contains(r.path("relatedSpdxElement").asText());
    }
    assertThat(doc.path("relationships").get(0).path("relationshipType").asText()).isEqualTo("DESCRIBES");

    Path file = work.resolve("bom.spdx.json");
    Files.write(file, out.toByteArray());
    SbomReader.Contents back = SbomReader.read(file);
    assertThat(back.format()).isEqualTo("SPDX-2.3");
    assertThat(back.packages()).containsExactlyElementsOf(withoutLines(catalog.packages()));
  }

  @Test
  void trivyCycloneDx() throws Exception {
    SbomReader.Contents c = SbomReader.read(SAMPLES.resolve("trivy-cyclonedx.json"));

    assertThat(c.subject()).isEqualTo("debian:12");
    assertThat(c.packages()).extracting(SoftwarePackage::ecosystem, SoftwarePackage::name, SoftwarePackage::version,
            SoftwarePackage::sourceName, SoftwarePackage::layer, SoftwarePackage::path)
        .containsExactly(
            tuple("Debian:12.5", "libssl3", "3.0.11-1~deb12u2", "openssl", "sha256:8a1e25ce7c4f", SAMPLES.resolve("trivy-cyclonedx.json").toString()),
            tuple("npm", "@babel/core", "7.24.0", "@babel/core", "sha256:c0ffee000001", "app/node_modules/@babel/core/package.json"),
            tuple("Maven", "org.yaml:snakeyaml", "1.33", "org.yaml:snakeyaml", "sha256:c0ffee000002", "app/app.jar"));
  }

  @Test
  void syftSpdxAndCycloneDx() throws Exception {
    SbomReader.Contents spdx = SbomReader.read(SAMPLES.resolve("syft-spdx.json"));
    // no OS package in Syft's SPDX: the distro qualifier tells the release
    assertThat(spdx.os().map(OsRelease::ecosystem)).contains("Alpine:v3.19");
    assertThat(spdx.packages()).extracting(SoftwarePackage::name, SoftwarePackage::sourceName, SoftwarePackage::ecosystem)
        .containsExactly(tuple("busybox", "busybox", "Alpine:v3.19"), tuple("ssl_client", "busybox", "Alpine:v3.19"));

    SbomReader.Contents cdx = SbomReader.read(SAMPLES.resolve("syft-cyclonedx.json"));
    assertThat(cdx.packages()).extracting(SoftwarePackage::ecosystem, SoftwarePackage::name, SoftwarePackage::version,
            SoftwarePackage::path, SoftwarePackage::layer)
        .containsExactly(
            tuple("Go", "github.com/sirupsen/logrus", "v1.9.3", "/usr/local/bin/app", "sha256:9e2b4d1f3a5c"),
            tuple("PyPI", "requests", "2.31.0", "/usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA", "sha256:9e2b4d1f3a5c"));
  }

  @Test
  void notAnSbomIsAClearError() throws IOException {
    Path manifest = work.resolve("deploy.json");
    Files.writeString(manifest, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}");
    Path broken = work.resolve("broken.json");
    Files.writeString(broken, "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n");

    assertThatThrownBy(() -> SbomReader.read(manifest)).isInstanceOf(SbomReader.NotAnSbomException.class)
        .hasMessage(manifest + ": not an SBOM: neither CycloneDX JSON (\"bomFormat\": \"CycloneDX\") nor SPDX JSON (\"spdxVersion\")");
    assertThatThrownBy(() -> SbomReader.read(broken)).isInstanceOf(SbomReader.NotAnSbomException.class)
        .hasMessageStartingWith(broken + ":4: not an SBOM: not valid JSON");
  }

  private void feed(String path, String layer, byte[] content) throws IOException {
    assertThat(catalog.wants(path, content.length)).isTrue();
    catalog.file(path, layer, new ByteArrayInputStream(content), content.length);
  }

  /** SBOMs carry no line numbers. */
  private static List<SoftwarePackage> withoutLines(List<SoftwarePackage> packages) {
    return packages.stream().map(p -> new SoftwarePackage(p.ecosystem(), p.name(), p.version(), p.sourceName(),
        p.sourceVersion(), p.purl(), p.path(), 0, p.layer())).toList();
  }
}

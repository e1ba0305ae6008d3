package dev.kapas.source.image.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Writes an inventory as an SBOM: CycloneDX 1.6 JSON or SPDX 2.3 JSON, with Jackson (cyclonedx-core-java's
 * generator needs json-schema-validator 1.5, which clashes with the project's 3.0.9; its schema checks
 * our output in SbomTest). Every component has its package URL and says where it was found: the file ({@code
 * kapas:path}) and the image layer that brought it ({@code kapas:layer}); the distribution is an
 * {@code operating-system} component. {@link SbomReader} reads these properties back, and Trivy's
 * and Syft's equivalents.
 */
public final class SbomWriter {
  static final String LAYER = "kapas:layer";
  static final String PATH = "kapas:path";
  static final String ECOSYSTEM = "kapas:ecosystem";
  static final String SOURCE_NAME = "kapas:source-name";
  static final String SOURCE_VERSION = "kapas:source-version";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SbomWriter() {}

  /** CycloneDX 1.6 JSON (ECMA-424): the image as metadata.component, the OS and the packages as components. */
  public static void writeCycloneDx(SbomSubject subject, Optional<OsRelease> os, List<SoftwarePackage> packages,
      OutputStream out) throws IOException {
    ObjectNode bom = JSON.createObjectNode();
    bom.put("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.6");
    bom.put("serialNumber", "urn:uuid:" + UUID.randomUUID());
    bom.put("version", 1);
    ObjectNode metadata = bom.putObject("metadata");
    metadata.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "kapas");
    tool.put("version", kapasVersion());
    ObjectNode image = metadata.putObject("component");
    image.put("bom-ref", "image");
    image.put("type", "container");
    image.put("name", subject.reference());
    if (!subject.digest().isEmpty()) {
      image.put("version", subject.digest());
    }
    ArrayNode components = bom.putArray("components");
    os.ifPresent(o -> {
      ObjectNode c = components.addObject();
      c.put("bom-ref", "os");
      c.put("type", "operating-system");
      c.put("name", o.id());
      if (!o.versionId().isEmpty()) {
        c.put("version", o.versionId());
      }
      c.put("description", o.prettyName());
    });
    int n = 0;
    for (SoftwarePackage p : packages) {
      ObjectNode c = components.addObject();
      c.put("bom-ref", "pkg-" + (++n));
      c.put("type", "library");
      c.put("name", p.name());
      c.put("version", p.version());
      if (!p.purl().isEmpty()) {
        c.put("purl", p.purl());
      }
      ArrayNode props = c.putArray("properties");
      property(props, ECOSYSTEM, p.ecosystem());
      if (!p.sourceName().equals(p.name()) || !p.sourceVersion().equals(p.version())) {
        property(props, SOURCE_NAME, p.sourceName());
        property(props, SOURCE_VERSION, p.sourceVersion());
      }
      property(props, PATH, p.path());
      if (!p.layer().isEmpty()) {
        property(props, LAYER, p.layer());
      }
    }
    JSON.writeValue(new NonClosing(out), bom);
  }

  /**
   * SPDX 2.3 JSON: the image is the described package; each software package is CONTAINED by it,
   * with its purl as a PACKAGE-MANAGER external reference and its file and layer as annotations
   * (Trivy's way to carry them in SPDX).
   */
  public static void writeSpdx(SbomSubject subject, Optional<OsRelease> os, List<SoftwarePackage> packages,
      OutputStream out) throws IOException {
    String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String creator = "Tool: kapas-" + kapasVersion();
    ObjectNode doc = JSON.createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", subject.reference());
    doc.put("documentNamespace", "https://kapas.dev/spdxdocs/" + UUID.randomUUID());
    ObjectNode info = doc.putObject("creationInfo");
    info.put("created", created);
    info.putArray("creators").add(creator);
    ArrayNode spdxPackages = doc.putArray("packages");
    ArrayNode relationships = doc.putArray("relationships");

    ObjectNode image = spdxPackage(spdxPackages, "SPDXRef-Image", subject.reference(), subject.digest());
    image.put("primaryPackagePurpose", "CONTAINER");
    relationship(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image");
    os.ifPresent(o -> {
      ObjectNode p = spdxPackage(spdxPackages, "SPDXRef-OperatingSystem", o.id(), o.versionId());
      p.put("primaryPackagePurpose", "OPERATING-SYSTEM");
      p.put("description", o.prettyName());
      relationship(relationships, "SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem");
    });
    int n = 0;
    for (SoftwarePackage sp : packages) {
      String id = "SPDXRef-Package-" + (++n);
      ObjectNode p = spdxPackage(spdxPackages, id, sp.name(), sp.version());
      p.put("primaryPackagePurpose", "LIBRARY");
      if (!sp.purl().isEmpty()) {
        ObjectNode ref = p.putArray("externalRefs").addObject();
        ref.put("referenceCategory", "PACKAGE-MANAGER");
        ref.put("referenceType", "purl");
        ref.put("referenceLocator", sp.purl());
      }
      if (!sp.sourceName().equals(sp.name()) || !sp.sourceVersion().equals(sp.version())) {
        p.put("sourceInfo", "built package from: " + sp.sourceName() + " " + sp.sourceVersion());
      }
      ArrayNode annotations = p.putArray("annotations");
      annotation(annotations, creator, created, "Ecosystem: " + sp.ecosystem());
      annotation(annotations, creator, created, "FilePath: " + sp.path());
      if (!sp.layer().isEmpty()) {
        annotation(annotations, creator, created, "LayerDigest: " + sp.layer());
      }
      relationship(relationships, "SPDXRef-Image", "CONTAINS", id);
    }
    JSON.writeValue(new NonClosing(out), doc);
  }

  private static ObjectNode spdxPackage(ArrayNode packages, String id, String name, String version) {
    ObjectNode p = packages.addObject();
    p.put("name", name);
    p.put("SPDXID", id);
    if (!version.isEmpty()) {
      p.put("versionInfo", version);
    }
    p.put("downloadLocation", "NOASSERTION");
    p.put("filesAnalyzed", false);
    return p;
  }

  private static void relationship(ArrayNode relationships, String from, String type, String to) {
    ObjectNode r = relationships.addObject();
    r.put("spdxElementId", from);
    r.put("relationshipType", type);
    r.put("relatedSpdxElement", to);
  }

  private static void annotation(ArrayNode annotations, String annotator, String date, String comment) {
    ObjectNode a = annotations.addObject();
    a.put("annotator", annotator);
    a.put("annotationDate", date);
    a.put("annotationType", "OTHER");
    a.put("comment", comment);
  }

  private static void property(ArrayNode properties, String name, String value) {
    ObjectNode p = properties.addObject();
    p.put("name", name);
    p.put("value", value);
  }

  private static String kapasVersion() {
    try (InputStream in = SbomWriter.class.getResourceAsStream("/kapas-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Jackson closes the stream it writes to; the caller owns {@code out} (it may be stdout). */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}

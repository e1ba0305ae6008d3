package dev.kapas.source.image.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a CycloneDX (1.4–1.6) or SPDX 2.x JSON SBOM, as kapas, Syft and Trivy write them, into
 * {@link SoftwarePackage}s: every component that has a package URL. Where the file was found and
 * the layer come from the tools' properties (kapas {@code kapas:path}/{@code kapas:layer}, Trivy
 * {@code aquasecurity:trivy:FilePath}/{@code LayerDigest}, Syft {@code syft:location:0:path}/{@code
 * layerID}); the distribution from the {@code operating-system} component, else the purl's {@code
 * distro} qualifier.
 */
public final class SbomReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an SBOM lists: its format ({@code CycloneDX 1.6}, {@code SPDX-2.3}), what it describes, the distribution's id and release (empty when unknown), the packages. */
  public record Contents(String format, String subject, String osId, String osVersion, List<SoftwarePackage> packages) {
    public Optional<OsRelease> os() {
      return osId.isEmpty() ? Optional.empty() : Optional.of(new OsRelease(osId, osVersion, osId, (osId + " " + osVersion).strip()));
    }

    /**
     * These contents on the distribution {@code os} when the SBOM names none (no operating-system
     * component, no distro qualifier): its packages whose purl is that distribution's ({@code
     * pkg:deb/debian/...} on Debian) take its release's ecosystem, so that they match its
     * advisories. For an SBOM attestation made without the distribution, on the image's.
     */
    public Contents on(OsRelease os) {
      if (!osId.isEmpty()) {
        return this;
      }
      List<SoftwarePackage> out = new ArrayList<>();
      for (SoftwarePackage p : packages) {
        boolean native_ = List.of("deb", "rpm", "apk").contains(p.ecosystem())
            && p.purl().startsWith("pkg:" + p.ecosystem() + "/" + os.purlNamespace() + "/");
        out.add(native_ ? new SoftwarePackage(os.ecosystem(), p.name(), p.version(), p.sourceName(), p.sourceVersion(),
            p.purl(), p.path(), p.line(), p.layer()) : p);
      }
      return new Contents(format, subject, os.id(), os.versionId(), List.copyOf(out));
    }
  }

  /** A file that is not a readable SBOM; the message names the file (and line when known) and the problem. */
  public static final class NotAnSbomException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String problem;

    NotAnSbomException(Object file, int line, String problem) {
      super(file + (line > 0 ? ":" + line : "") + ": " + problem);
      this.line = line;
      this.problem = problem;
    }

    /** The line of the file the problem is on, 0 when it concerns the whole file. */
    public int line() {
      return line;
    }

    /** The problem, without the file. */
    public String problem() {
      return problem;
    }
  }

  private SbomReader() {}

  public static Contents read(Path file) throws NotAnSbomException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.newBufferedReader(file));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new NotAnSbomException(file, at == null ? 0 : Math.max(at.getLineNr(), 0),
          "not an SBOM: not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new NotAnSbomException(file, 0, "cannot be read: " + e.getMessage());
    }
    return read(root, file.toString());
  }

  /**
   * An SBOM already parsed, such as the predicate of an SBOM attestation; {@code source} names it
   * in messages and is the path of packages that have none.
   */
  public static Contents read(JsonNode root, String source) throws NotAnSbomException {
    if (root != null && "CycloneDX".equals(root.path("bomFormat").asText())) {
      return cycloneDx(root, source);
    }
    if (root != null && root.path("spdxVersion").asText().startsWith("SPDX-")) {
      return spdx(root, source);
    }
    throw new NotAnSbomException(source, 0, "not an SBOM: neither CycloneDX JSON (\"bomFormat\": \"CycloneDX\") nor SPDX JSON (\"spdxVersion\")");
  }

  private static Contents cycloneDx(JsonNode root, String file) {
    List<JsonNode> components = new ArrayList<>();
    flatten(root.path("components"), components);
    String osId = "";
    String osVersion = "";
    for (JsonNode c : components) {
      if (c.path("type").asText().equals("operating-system")) {
        osId = c.path("name").asText("").toLowerCase(java.util.Locale.ROOT);
        osVersion = c.path("version").asText("");
      }
    }
    List<Entry> found = new ArrayList<>();
    for (JsonNode c : components) {
      Map<String, String> props = new HashMap<>();
      c.path("properties").forEach(p -> props.putIfAbsent(p.path("name").asText(), p.path("value").asText()));
      component(c.path("purl").asText(""), c.path("version").asText(""), props).ifPresent(found::add);
    }
    JsonNode subject = root.path("metadata").path("component");
    return contents("CycloneDX " + root.path("specVersion").asText(""), subject.path("name").asText(""), osId, osVersion,
        found, file);
  }

  private static Contents spdx(JsonNode root, String file) {
    String osId = "";
    String osVersion = "";
    List<Entry> found = new ArrayList<>();
    for (JsonNode p : root.path("packages")) {
      if (p.path("primaryPackagePurpose").asText().equals("OPERATING-SYSTEM")) {
        osId = p.path("name").asText("").toLowerCase(java.util.Locale.ROOT);
        osVersion = p.path("versionInfo").asText("");
        continue;
      }
      String purl = "";
      for (JsonNode ref : p.path("externalRefs")) {
        if (ref.path("referenceType").asText().equals("purl")) {
          purl = ref.path("referenceLocator").asText("");
        }
      }
      // annotations "Key: value" (Trivy's, and kapas'), mapped to the CycloneDX property names
      Map<String, String> props = new HashMap<>();
      for (JsonNode a : p.path("annotations")) {
        String comment = a.path("comment").asText("");
        int colon = comment.indexOf(": ");
        if (colon > 0) {
          props.putIfAbsent("spdx:" + comment.substring(0, colon), comment.substring(colon + 2));
        }
      }
      String sourceInfo = p.path("sourceInfo").asText("");
      if (sourceInfo.startsWith("built package from: ")) {
        String[] src = sourceInfo.substring(20).strip().split(" ");
        props.put(SbomWriter.SOURCE_NAME, src[0]);
        if (src.length > 1) {
          props.put(SbomWriter.SOURCE_VERSION, src[1]);
        }
      }
      component(purl, p.path("versionInfo").asText(""), props).ifPresent(found::add);
    }
    String subject = root.path("name").asText("");
    return contents(root.path("spdxVersion").asText(), subject, osId, osVersion, found, file);
  }

  /** One listed package, before the distribution (which may come later in the file) is known. */
  private record Entry(String purlType, String distro, String name, String version, String sourceName,
      String sourceVersion, String purl, String path, String layer, String ecosystem) {}

  private static Optional<Entry> component(String purlText, String version, Map<String, String> props) {
    if (purlText.isEmpty()) {
      return Optional.empty(); // files, the image itself: not packages
    }
    PackageURL purl;
    try {
      purl = new PackageURL(purlText);
    } catch (MalformedPackageURLException e) {
      return Optional.empty();
    }
    String ns = purl.getNamespace() == null ? "" : purl.getNamespace();
    String name = switch (purl.getType()) {
      case "maven" -> ns.isEmpty() ? purl.getName() : ns + ":" + purl.getName();
      case "npm", "golang", "composer" -> ns.isEmpty() ? purl.getName() : ns + "/" + purl.getName();
      default -> purl.getName();
    };
    if (version.isEmpty()) {
      version = purl.getVersion() == null ? "" : purl.getVersion();
    }
    Map<String, String> q = purl.getQualifiers() == null ? Map.of() : purl.getQualifiers();
    String sourceName = first(props, name, SbomWriter.SOURCE_NAME, "aquasecurity:trivy:SrcName", "syft:metadata:source",
        "spdx:SrcName");
    String sourceVersion = first(props, version, SbomWriter.SOURCE_VERSION, "aquasecurity:trivy:SrcVersion",
        "syft:metadata:sourceVersion", "spdx:SrcVersion");
    String upstream = q.getOrDefault("upstream", "");
    if (sourceName.equals(name) && !upstream.isEmpty()) {
      // Syft: upstream=openssl or upstream=openssl@3.0.11-1 (deb), upstream=openssl-3.0.7-24.el9.src.rpm (rpm)
      Optional<String[]> srpm = RpmHeader.splitSourceRpm(upstream);
      if (srpm.isPresent()) {
        sourceName = srpm.get()[0];
        sourceVersion = srpm.get()[1] + "-" + srpm.get()[2];
      } else {
        int at = upstream.indexOf('@');
        sourceName = at < 0 ? upstream : upstream.substring(0, at);
        sourceVersion = at < 0 ? sourceVersion : upstream.substring(at + 1);
      }
    }
    return Optional.of(new Entry(purl.getType(), q.getOrDefault("distro", ""), name, version, sourceName, sourceVersion,
        purl.canonicalize(),
        first(props, "", SbomWriter.PATH, "aquasecurity:trivy:FilePath", "syft:location:0:path", "spdx:FilePath"),
        first(props, "", SbomWriter.LAYER, "aquasecurity:trivy:LayerDigest", "syft:location:0:layerID", "spdx:LayerDigest"),
        first(props, "", SbomWriter.ECOSYSTEM, "spdx:Ecosystem")));
  }

  private static Contents contents(String format, String subject, String osId, String osVersion, List<Entry> found, String file) {
    if (osId.isEmpty()) {
      // no operating-system component: the distro qualifier (debian-12, alpine-3.19.1) of a distribution package
      for (Entry f : found) {
        String distro = f.distro();
        int dash = distro.indexOf('-');
        if (dash > 0) {
          osId = distro.substring(0, dash);
          osVersion = distro.substring(dash + 1);
          break;
        }
      }
    }
    Optional<OsRelease> os = osId.isEmpty() ? Optional.empty()
        : Optional.of(new OsRelease(osId, osVersion, osId, osId));
    List<SoftwarePackage> packages = new ArrayList<>();
    for (Entry f : found) {
      String ecosystem = f.ecosystem().isEmpty() ? ecosystemOf(f.purlType(), os) : f.ecosystem();
      packages.add(new SoftwarePackage(ecosystem, f.name(), f.version(), f.sourceName(), f.sourceVersion(), f.purl(),
          f.path().isEmpty() ? file : f.path(), 0, f.layer()));
    }
    return new Contents(format, subject, osId, osVersion, List.copyOf(packages));
  }

  private static String ecosystemOf(String purlType, Optional<OsRelease> os) {
    return switch (purlType) {
      case "deb", "rpm", "apk" -> os.map(OsRelease::ecosystem).orElse(purlType);
      case "maven" -> "Maven";
      case "npm" -> "npm";
      case "pypi" -> "PyPI";
      case "golang" -> "Go";
      case "cargo" -> "crates.io";
      case "gem" -> "RubyGems";
      case "nuget" -> "NuGet";
      case "composer" -> "Packagist";
      default -> purlType;
    };
  }

  private static String first(Map<String, String> props, String otherwise, String... keys) {
    for (String k : keys) {
      String v = props.get(k);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return otherwise;
  }

  private static void flatten(JsonNode components, List<JsonNode> out) {
    for (JsonNode c : components) {
      out.add(c);
      flatten(c.path("components"), out);
    }
  }
}

package dev.kapas.source.image;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import dev.kapas.model.SoftwarePackage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image as {@code kapas image} read it: what image rules, the vulnerability matcher and the
 * signature checks judge. Findings about it point at {@code name} (what the user gave), with a
 * field path such as {@code config.User} or a file inside a layer.
 *
 * @param name the image as the user named it: a reference or a path
 * @param reference the registry reference ({@code registry/repository[:tag][@digest]}); empty for files
 * @param digest the manifest digest (what a pinned reference, a signature or an attestation
 *     names); empty for the older {@code docker save} format, which has no manifest
 * @param imageId the config digest: the same for the image from a registry, a layout or an archive
 * @param platform from the config
 * @param config how it runs
 * @param layers bottom first
 * @param packages what the catalogers found
 * @param os the distribution, {@link OsRelease#NONE} when there is no os-release file
 * @param sshServers SSH server binaries in the final filesystem
 * @param secrets credential patterns in layer files
 * @param scannedOn the day of the scan, which support dates are compared with
 */
public record ImageFact(String name, String reference, String digest, String imageId, Platform platform,
    ImageConfig config, List<Layer> layers, List<SoftwarePackage> packages, OsRelease os, List<String> sshServers,
    List<FileSecret> secrets, LocalDate scannedOn) implements ReportedFact, Inventoried {

  public ImageFact {
    layers = List.copyOf(layers);
    packages = List.copyOf(packages);
    sshServers = List.copyOf(sshServers);
    secrets = List.copyOf(secrets);
  }

  /** The same image as named otherwise (a workload's reference to a digest already read for another). */
  public ImageFact named(String otherName, String otherReference) {
    return new ImageFact(otherName, otherReference, digest, imageId, platform, config, layers, packages, os, sshServers,
        secrets, scannedOn);
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Image", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(name, 0, 0, 0);
  }

  @Override
  public String reportSection() {
    return "images";
  }

  @Override
  public String reportNoun() {
    return "image";
  }

  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("reference", reference);
    out.put("digest", digest);
    out.put("imageId", imageId);
    out.put("platform", platform.display());
    out.put("os", os.known() ? os.id() + " " + os.versionId() : "");
    out.put("user", config.user());
    out.put("exposedPorts", config.exposedPorts());
    List<Object> layerList = new ArrayList<>();
    for (Layer l : layers) {
      layerList.add(Map.of("digest", l.digest(), "diffId", l.diffId(), "size", l.size(), "mediaType", l.mediaType()));
    }
    out.put("layers", layerList);
    out.put("packages", packageFields(packages));
    return out;
  }

  /** The packages as the JSON report lists them. */
  static List<Object> packageFields(List<SoftwarePackage> packages) {
    List<Object> packageList = new ArrayList<>();
    for (SoftwarePackage p : packages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ecosystem", p.ecosystem());
      m.put("name", p.name());
      m.put("version", p.version());
      if (!p.sourceName().equals(p.name()) || !p.sourceVersion().equals(p.version())) {
        m.put("source", p.sourceName() + " " + p.sourceVersion());
      }
      m.put("purl", p.purl());
      m.put("path", p.path());
      m.put("layer", p.layer());
      packageList.add(m);
    }
    return packageList;
  }

  @Override
  public String inventoryName() {
    return name;
  }

  @Override
  public String sbomReference() {
    return reference.isEmpty() ? name : reference;
  }

  @Override
  public String sbomDigest() {
    return digest;
  }
}

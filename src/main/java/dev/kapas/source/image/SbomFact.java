package dev.kapas.source.image;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import dev.kapas.model.SoftwarePackage;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SBOM that {@code kapas image --sbom FILE} read instead of pulling an image: its packages are
 * matched against the vulnerability database, and the image rules that need only the inventory
 * judge it ({@code container.image-os-eol}, the package half of {@code container.image-ssh-server});
 * those that need the image's config or files ({@code container.image-runs-as-root}, secrets in
 * config, history and files, an exposed port 22, signatures) have nothing to read in an SBOM.
 *
 * @param file the SBOM file as the user named it
 * @param format such as {@code CycloneDX 1.6} or {@code SPDX-2.3}
 * @param subject what the SBOM says it describes (may be empty)
 * @param os the distribution it names, {@link OsRelease#NONE} when it names none
 * @param packages every component with a package URL
 * @param scannedOn the day of the scan
 */
public record SbomFact(String file, String format, String subject, OsRelease os, List<SoftwarePackage> packages,
    LocalDate scannedOn)
    implements ReportedFact, Inventoried {

  public SbomFact {
    packages = List.copyOf(packages);
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "SBOM", "", file);
  }

  @Override
  public Origin origin() {
    return new Origin(file, 0, 0, 0);
  }

  @Override
  public String reportSection() {
    return "sboms";
  }

  @Override
  public String reportNoun() {
    return "SBOM";
  }

  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", file);
    out.put("format", format);
    out.put("subject", subject);
    out.put("os", os.known() ? os.id() + " " + os.versionId() : "");
    out.put("packages", ImageFact.packageFields(packages));
    return out;
  }

  @Override
  public String inventoryName() {
    return file;
  }

  @Override
  public String sbomReference() {
    return subject.isEmpty() ? file : subject;
  }

  @Override
  public String sbomDigest() {
    return "";
  }
}

package dev.kapas.source.image;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import dev.kapas.model.SoftwarePackage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SBOM that {@code kapas image --sbom FILE} read instead of pulling an image: its packages are
 * matched against the vulnerability database; the image rules, which need the image's config and
 * files, do not apply to it.
 *
 * @param file the SBOM file as the user named it
 * @param format such as {@code CycloneDX 1.6} or {@code SPDX-2.3}
 * @param subject what the SBOM says it describes (may be empty)
 * @param os the distribution it names, {@link OsRelease#NONE} when it names none
 * @param packages every component with a package URL
 */
public record SbomFact(String file, String format, String subject, OsRelease os, List<SoftwarePackage> packages)
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
  public String sbomReference() {
    return subject.isEmpty() ? file : subject;
  }

  @Override
  public String sbomDigest() {
    return "";
  }
}

package dev.kapas.source.image;

import dev.kapas.model.ReportedFact;
import dev.kapas.model.SoftwarePackage;
import java.time.LocalDate;
import java.util.List;

/**
 * What an SBOM is written from, and what the image rules that need only the inventory judge: an
 * image read by kapas, or an SBOM it read.
 */
public interface Inventoried extends ReportedFact {
  /** The image or SBOM file as the user named it: what findings point at. */
  String inventoryName();

  /** The day of the scan, which support dates are compared with. */
  LocalDate scannedOn();

  /** What the SBOM describes: the reference, else the name as given. */
  String sbomReference();

  /** The manifest digest; empty when there is none. */
  String sbomDigest();

  OsRelease os();

  List<SoftwarePackage> packages();
}

package dev.kapas.source.image;

import dev.kapas.model.SoftwarePackage;
import java.util.List;

/** What an SBOM is written from: an image read by kapas, or an SBOM it read. */
public interface Inventoried {
  /** What the SBOM describes: the reference, else the name as given. */
  String sbomReference();

  /** The manifest digest; empty when there is none. */
  String sbomDigest();

  OsRelease os();

  List<SoftwarePackage> packages();
}

package dev.kapas.report;

import dev.kapas.model.Fact;
import dev.kapas.source.image.Inventoried;
import dev.kapas.source.image.catalog.OsRelease;
import dev.kapas.source.image.catalog.SbomSubject;
import dev.kapas.source.image.catalog.SbomWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The inventory of the one image (or SBOM) a scan read, as a CycloneDX 1.6 or SPDX 2.3 JSON SBOM
 * instead of a findings report. Nothing is written when no image could be read: the errors say
 * why, and an empty SBOM would claim an empty image.
 */
final class SbomReport implements ReportWriter {
  private final boolean cycloneDx;

  SbomReport(boolean cycloneDx) {
    this.cycloneDx = cycloneDx;
  }

  @Override
  public void write(ScanReport report, OutputStream out) throws IOException {
    List<Inventoried> read = report.evaluation().inventory().facts().stream()
        .filter(f -> f instanceof Inventoried).map(f -> (Inventoried) (Fact) f).toList();
    if (read.isEmpty()) {
      return;
    }
    Inventoried image = read.get(0);
    SbomSubject subject = new SbomSubject(image.sbomReference(), image.sbomDigest());
    Optional<OsRelease> os = image.os().known()
        ? Optional.of(new OsRelease(image.os().id(), image.os().versionId(), image.os().id(), image.os().prettyName()))
        : Optional.empty();
    if (cycloneDx) {
      SbomWriter.writeCycloneDx(subject, os, image.packages(), out);
    } else {
      SbomWriter.writeSpdx(subject, os, image.packages(), out);
    }
    out.write('\n');
  }

  @Override
  public void write(ScanReport report, Writer out) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(report, bytes);
    out.write(bytes.toString(StandardCharsets.UTF_8));
  }
}

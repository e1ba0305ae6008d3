package dev.kapas.vuln;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real OSV records of {@code ../shared/fixtures/osv/advisories} (GitHub Advisory Database, Go
 * Vulnerability Database, RustSec, Ubuntu and OSV test data; attribution in that folder's
 * SOURCES.md), as a lookup and as OSV export zips.
 */
public final class OsvFixtures {
  public static final Path ADVISORIES = Path.of("../shared/fixtures/osv/advisories").toAbsolutePath().normalize();

  private OsvFixtures() {}

  public static List<Advisory> all() throws IOException {
    List<Advisory> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ADVISORIES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(OsvRecords.parse(Files.readAllBytes(f)));
        } catch (OsvRecords.InvalidRecordException e) {
          throw new IllegalStateException(f + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  /** A lookup over the records, as the database answers it. */
  public static AdvisoryLookup lookup() throws IOException {
    List<Advisory> all = all();
    return (ecosystem, name) -> all.stream().filter(a -> a.affected().stream().anyMatch(
        af -> Matcher.sameEcosystem(ecosystem, af.ecosystem()) && Matcher.lookupName(ecosystem, af.name()).equals(name)))
        .toList();
  }

  /** Writes the records of one ecosystem folder as an OSV export ({@code all.zip}: one JSON file per record). */
  public static void writeZip(String ecosystem, OutputStream out) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.list(ADVISORIES.resolve(ecosystem))) {
      for (Path f : files.sorted().toList()) {
        zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
        zip.write(Files.readAllBytes(f));
        zip.closeEntry();
      }
    }
  }
}

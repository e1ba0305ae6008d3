package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dpkg's database, {@code var/lib/dpkg/status}, and the one-file-per-package {@code
 * var/lib/dpkg/status.d/} of distroless images: deb822 paragraphs (deb-control(5)). Only
 * installed packages count: a paragraph whose {@code Status} is not "… installed" (removed, config
 * files left, half-configured) is skipped, as {@code dpkg-query -W} with {@code db:Status-Status}
 * tells. status.d paragraphs carry no Status and are installed.
 */
final class DpkgCataloger implements Cataloger {
  private static final String STATUS = "var/lib/dpkg/status";
  private static final String STATUS_D = "var/lib/dpkg/status.d/";
  // "Source: name" or "Source: name (version)" when the source version differs
  private static final Pattern SOURCE = Pattern.compile("(\\S+)(?:\\s+\\((\\S+)\\))?\\s*");

  @Override
  public boolean wants(String path, long size) {
    return path.equals(STATUS)
        || (path.startsWith(STATUS_D) && path.indexOf('/', STATUS_D.length()) < 0 && !path.endsWith(".md5sums"));
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    String text = new String(Limits.readAll(content, Limits.DATABASE_BYTES), StandardCharsets.UTF_8);
    List<Found> packages = new ArrayList<>();
    List<LineProblem> problems = new ArrayList<>();
    Map<String, String> fields = new HashMap<>();
    String lastField = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i].replace("\r", "") : "";
      if (line.isBlank()) {
        if (!fields.isEmpty()) {
          paragraph(fields, start, packages, problems);
          fields = new HashMap<>();
        }
        lastField = null;
        continue;
      }
      if (fields.isEmpty()) {
        start = i + 1;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (lastField == null) {
          problems.add(new LineProblem(i + 1, "continuation line outside a field"));
        }
        continue; // multi-line values (Description, Conffiles) are not needed here
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problems.add(new LineProblem(i + 1, "not a \"Field: value\" line"));
        continue;
      }
      lastField = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      fields.put(lastField, line.substring(colon + 1).strip());
    }
    return new Parsed(List.copyOf(packages), List.copyOf(problems));
  }

  private static void paragraph(Map<String, String> f, int line, List<Found> packages, List<LineProblem> problems) {
    String status = f.getOrDefault("status", "install ok installed");
    if (!status.endsWith(" installed")) {
      return;
    }
    String name = f.getOrDefault("package", "");
    String version = f.getOrDefault("version", "");
    if (name.isEmpty() || version.isEmpty()) {
      problems.add(new LineProblem(line, "package paragraph without " + (name.isEmpty() ? "Package" : "Version")));
      return;
    }
    String sourceName = name;
    String sourceVersion = version;
    Matcher source = SOURCE.matcher(f.getOrDefault("source", ""));
    if (source.matches()) {
      sourceName = source.group(1);
      if (source.group(2) != null) {
        sourceVersion = source.group(2);
      }
    }
    String arch = f.getOrDefault("architecture", "");
    packages.add(new Found("deb", "", name, version, Map.of("arch", arch), name, version, sourceName, sourceVersion, line));
  }
}

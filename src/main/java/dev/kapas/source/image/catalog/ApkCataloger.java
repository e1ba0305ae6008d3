package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpine's apk database, {@code lib/apk/db/installed}: blank-line separated records of
 * single-letter {@code K:value} lines (apk-tools' "installed database" format): {@code P} name,
 * {@code V} version, {@code A} arch, {@code o} origin (the aport, apk's source package).
 */
final class ApkCataloger implements Cataloger {

  @Override
  public boolean wants(String path, long size) {
    return path.equals("lib/apk/db/installed");
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    String[] lines = new String(Limits.readAll(content, Limits.DATABASE_BYTES), StandardCharsets.UTF_8).split("\n", -1);
    List<Found> packages = new ArrayList<>();
    List<LineProblem> problems = new ArrayList<>();
    Map<Character, String> record = new HashMap<>();
    int start = 0;
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i].replace("\r", "") : "";
      if (line.isBlank()) {
        if (!record.isEmpty()) {
          record(record, start, packages, problems);
          record = new HashMap<>();
        }
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != ':') {
        problems.add(new LineProblem(i + 1, "not a \"K:value\" line of an apk database"));
        continue;
      }
      if (record.isEmpty() || line.charAt(0) == 'P') {
        start = i + 1;
      }
      // F/R/Z/a lines repeat per file; only the package's own single-valued keys are needed
      record.putIfAbsent(line.charAt(0), line.substring(2));
    }
    return new Parsed(List.copyOf(packages), List.copyOf(problems));
  }

  private static void record(Map<Character, String> r, int line, List<Found> packages, List<LineProblem> problems) {
    String name = r.getOrDefault('P', "");
    String version = r.getOrDefault('V', "");
    if (name.isEmpty() || version.isEmpty()) {
      if (r.keySet().stream().anyMatch(k -> k != 'F' && k != 'R' && k != 'Z' && k != 'a' && k != 'M')) {
        problems.add(new LineProblem(line, "apk record without " + (name.isEmpty() ? "P: (name)" : "V: (version)")));
      }
      return;
    }
    String origin = r.getOrDefault('o', name);
    packages.add(new Found("apk", "", name, version, Map.of("arch", r.getOrDefault('A', "")),
        name, version, origin, version, line));
  }
}

package dev.kapas.source.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Distribution releases and the end of their security support, from a dated data file. */
public record DistroSupport(LocalDate date, Map<String, LocalDate> endOfSupport) {
  public static final String BUILT_IN = "/dev/kapas/data/distributions.txt";

  public DistroSupport {
    endOfSupport = Map.copyOf(endOfSupport);
  }

  public static DistroSupport builtIn() {
    try (InputStream in = DistroSupport.class.getResourceAsStream(BUILT_IN)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the built-in distribution data is broken: " + e.getMessage(), e);
    }
  }

  static DistroSupport parse(String text) {
    LocalDate date = null;
    Map<String, LocalDate> eos = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.startsWith("date:")) {
          date = LocalDate.parse(line.substring(5).strip());
          continue;
        }
        String[] f = line.split("\\s+");
        if (f.length != 3) {
          throw new IllegalArgumentException("line " + (i + 1) + ": expected `ID VERSION END-OF-SUPPORT`");
        }
        eos.put(f[0] + " " + f[1], LocalDate.parse(f[2]));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": bad date", e);
      }
    }
    if (date == null) {
      throw new IllegalArgumentException("no `date:` line");
    }
    return new DistroSupport(date, eos);
  }

  /** A release the data knows, as {@code id version}, with its end of support. */
  public record Release(String name, LocalDate endOfSupport) {}

  /** The release {@code os} is, matching its VERSION_ID exactly or by leading components (3.19.1 is 3.19). */
  public Optional<Release> find(OsRelease os) {
    for (String v = os.versionId(); !v.isEmpty(); v = v.contains(".") ? v.substring(0, v.lastIndexOf('.')) : "") {
      LocalDate end = endOfSupport.get(os.id() + " " + v);
      if (end != null) {
        return Optional.of(new Release(os.id() + " " + v, end));
      }
    }
    return Optional.empty();
  }

  public int size() {
    return endOfSupport.size();
  }
}

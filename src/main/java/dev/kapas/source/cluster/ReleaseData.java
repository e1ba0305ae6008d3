package dev.kapas.source.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upstream Kubernetes minor releases and their end of support, from a dated data file (the one
 * shipped in the jar, or a newer one the user points at).
 */
public record ReleaseData(String source, LocalDate date, List<Minor> minors) {
  public static final String BUILT_IN = "/dev/kapas/data/kubernetes-releases.txt";

  public ReleaseData {
    minors = List.copyOf(minors);
  }

  /** One minor release: 1.{@code minor}. */
  public record Minor(int major, int minor, LocalDate released, LocalDate endOfSupport) {
    public String display() {
      return major + "." + minor;
    }
  }

  /** A data file that cannot be used, said as file:line: message. */
  public static final class BadFile extends Exception {
    BadFile(String message) {
      super(message, null, false, false);
    }
  }

  public static ReleaseData builtIn() {
    try (InputStream in = ReleaseData.class.getResourceAsStream(BUILT_IN)) {
      return parse("(built-in)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | BadFile | NullPointerException e) {
      throw new IllegalStateException("the built-in release data is broken: " + e.getMessage(), e);
    }
  }

  public static ReleaseData load(Path file) throws BadFile {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new BadFile(file + ": cannot read: " + e.getMessage());
    }
  }

  static ReleaseData parse(String source, String text) throws BadFile {
    LocalDate date = null;
    List<Minor> minors = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      String at = source + ":" + (i + 1) + ": ";
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.startsWith("date:")) {
          date = LocalDate.parse(line.substring(5).strip());
          continue;
        }
        String[] f = line.split("\\s+");
        String[] mm = f[0].split("\\.");
        if (f.length != 3 || mm.length != 2) {
          throw new BadFile(at + "expected `MAJOR.MINOR RELEASED END-OF-SUPPORT`, got `" + line + "`");
        }
        minors.add(new Minor(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]), LocalDate.parse(f[1]),
            LocalDate.parse(f[2])));
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new BadFile(at + "bad date or number in `" + line + "`");
      }
    }
    if (date == null) {
      throw new BadFile(source + ": no `date: YYYY-MM-DD` line");
    }
    if (minors.isEmpty()) {
      throw new BadFile(source + ": no releases listed");
    }
    return new ReleaseData(source, date, minors);
  }

  public Optional<Minor> find(int major, int minor) {
    return minors.stream().filter(m -> m.major() == major && m.minor() == minor).findFirst();
  }

  /** The oldest minor still supported on {@code day}, if the data knows one. */
  public Optional<Minor> oldestSupported(LocalDate day) {
    return minors.stream().filter(m -> !m.endOfSupport().isBefore(day))
        .min((a, b) -> a.major() != b.major() ? Integer.compare(a.major(), b.major()) : Integer.compare(a.minor(), b.minor()));
  }
}

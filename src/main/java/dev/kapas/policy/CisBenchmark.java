package dev.kapas.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recommendations of the CIS Kubernetes Benchmark's node and control-plane sections (1-4), read
 * from a data file beside this class: so the {@code --framework cis} table lists every one of them,
 * including those no rule automates (shown as manual checks, not skipped).
 */
public final class CisBenchmark {
  /** The benchmark version the data file follows. */
  public static final String VERSION = "v1.10.0";
  private static final String FILE = "cis-kubernetes-1.10.txt";

  /**
   * One recommendation.
   *
   * @param id such as {@code 1.2.6}
   * @param automated whether the benchmark marks it Automated (else Manual)
   * @param title what it asks, in short
   * @param about what it concerns, for "no ... found" when nothing of it was read
   * @param group the title of its group ({@code 1.2 API Server})
   */
  public record Control(String id, boolean automated, String title, String about, String group) {}

  private final List<Control> controls;

  private CisBenchmark(List<Control> controls) {
    this.controls = List.copyOf(controls);
  }

  public static CisBenchmark load() {
    try (InputStream in = CisBenchmark.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IllegalStateException(FILE + " is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Control> out = new ArrayList<>();
      Map<String, String> groups = new LinkedHashMap<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\s*\\|\\s*");
        if (f[1].equals("group")) {
          groups.put(f[0], f[0] + " " + f[2]);
          continue;
        }
        String group = groups.getOrDefault(f[0].substring(0, f[0].lastIndexOf('.')), "");
        out.add(new Control(f[0], f[1].equals("Automated"), f[2], f[3], group));
      }
      return new CisBenchmark(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Control> controls() {
    return controls;
  }

  public Optional<Control> find(String id) {
    return controls.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}

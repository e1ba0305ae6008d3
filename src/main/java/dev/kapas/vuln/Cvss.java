package dev.kapas.vuln;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CVSS scores of the vectors in OSV records: v3.0/v3.1 base scores as FIRST's specification
 * defines them (section 7.1 and appendix A's Roundup), and v4.0 scores ({@link Cvss4}).
 */
public final class Cvss {
  /** Scores by vector: records share a few thousand vectors, and a scan scores each record it matches. */
  private static final Map<String, Optional<Double>> SCORED = new ConcurrentHashMap<>();
  private static final int SCORED_MAX = 50_000;

  private Cvss() {}

  /** The score of a {@code CVSS:3.x/…} or {@code CVSS:4.0/…} vector; empty when the vector is not one kapas can score. */
  public static Optional<Double> baseScore(String vector) {
    if (vector.startsWith("CVSS:4.0/")) {
      return Cvss4.score(vector);
    }
    if (!vector.startsWith("CVSS:3.")) {
      return Optional.empty();
    }
    Map<String, String> m = new HashMap<>();
    for (String part : vector.split("/")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        m.put(part.substring(0, colon), part.substring(colon + 1));
      }
    }
    for (String key : new String[] {"AV", "AC", "PR", "UI", "S", "C", "I", "A"}) {
      if (!m.containsKey(key)) {
        return Optional.empty();
      }
    }
    boolean changed = m.get("S").equals("C");
    double av = switch (m.get("AV")) {
      case "N" -> 0.85;
      case "A" -> 0.62;
      case "L" -> 0.55;
      default -> 0.2;
    };
    double ac = m.get("AC").equals("L") ? 0.77 : 0.44;
    double pr = switch (m.get("PR")) {
      case "N" -> 0.85;
      case "L" -> changed ? 0.68 : 0.62;
      default -> changed ? 0.5 : 0.27;
    };
    double ui = m.get("UI").equals("N") ? 0.85 : 0.62;
    double iss = 1 - (1 - cia(m.get("C"))) * (1 - cia(m.get("I"))) * (1 - cia(m.get("A")));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return Optional.of(0.0);
    }
    double raw = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
    return Optional.of(roundUp(raw));
  }

  /**
   * The score of a record's vectors: that of its newest CVSS version (v4.0 over v3.x, whose scores
   * FIRST says are not comparable), the highest if it gives several of that version.
   */
  public static Optional<Double> recordScore(List<String> vectors) {
    Optional<Double> best = Optional.empty();
    String bestVersion = "";
    for (String vector : vectors) {
      Optional<Double> score = SCORED.size() < SCORED_MAX ? SCORED.computeIfAbsent(vector, Cvss::baseScore)
          : Optional.ofNullable(SCORED.get(vector)).orElseGet(() -> baseScore(vector));
      String version = vector.substring(0, Math.min(vector.length(), "CVSS:3.1".length()));
      if (score.isEmpty()) {
        continue;
      }
      int newer = version.compareTo(bestVersion);
      if (newer > 0 || newer == 0 && score.get() > best.orElseThrow()) {
        best = score;
        bestVersion = version;
      }
    }
    return best;
  }

  private static double cia(String value) {
    return switch (value) {
      case "H" -> 0.56;
      case "L" -> 0.22;
      default -> 0;
    };
  }

  /** CVSS v3.1's Roundup: the smallest number with one decimal at or above the input, free of float error. */
  static double roundUp(double value) {
    long scaled = Math.round(value * 100_000);
    return scaled % 10_000 == 0 ? scaled / 100_000.0 : (Math.floor(scaled / 10_000.0) + 1) / 10.0;
  }
}

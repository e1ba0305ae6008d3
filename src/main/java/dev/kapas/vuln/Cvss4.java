package dev.kapas.vuln;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CVSS v4.0 scores as FIRST's specification (section 8, "CVSS v4.0 Scoring") defines them: the
 * vector falls into one of 270 MacroVectors (equivalence classes EQ1–EQ6), whose score is read
 * from the specification's expert-ranked table; the score is then lowered by the mean, over the
 * EQs that have a lower MacroVector, of the vector's severity distance from the class's highest
 * vectors, as a share of the distance to the next lower MacroVector. Threat and Environmental
 * metrics are honoured when present (their "Not Defined" defaults are those of the
 * specification: E:A, CR/IR/AR:H, modified metrics as the base ones), so a base-only vector gives
 * CVSS-B and a fuller one CVSS-BT/BE/BTE. Supplemental metrics are accepted and do not score.
 */
final class Cvss4 {
  private Cvss4() {}

  /** Allowed values per metric; {@code U} has word values and is checked apart. */
  private static final Map<String, String> VALUES = new HashMap<>();

  static {
    for (String m : List.of("VC", "VI", "VA", "SC", "SI", "SA")) {
      VALUES.put(m, "HLN");
    }
    for (String m : List.of("CR", "IR", "AR")) {
      VALUES.put(m, "XHML");
    }
    for (String m : List.of("MVC", "MVI", "MVA", "MSC")) {
      VALUES.put(m, "XHLN");
    }
    VALUES.putAll(Map.ofEntries(Map.entry("AV", "NALP"), Map.entry("AC", "LH"), Map.entry("AT", "NP"),
        Map.entry("PR", "NLH"), Map.entry("UI", "NPA"), Map.entry("E", "XAPU"), Map.entry("MAV", "XNALP"),
        Map.entry("MAC", "XLH"), Map.entry("MAT", "XNP"), Map.entry("MPR", "XNLH"), Map.entry("MUI", "XNPA"),
        Map.entry("MSI", "XSHLN"), Map.entry("MSA", "XSHLN"), Map.entry("S", "XNP"), Map.entry("AU", "XNY"),
        Map.entry("R", "XAUI"), Map.entry("V", "XDC"), Map.entry("RE", "XLMH")));
  }

  private static final List<String> BASE = List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");
  private static final Set<String> URGENCY = Set.of("X", "Clear", "Green", "Amber", "Red");

  /**
   * Severity levels of each metric's values, in tenths, as the specification's distance
   * computation orders them (0 the most severe). SC has no "S" value and starts at 1.
   */
  private static final Map<String, String> LEVELS = Map.ofEntries(Map.entry("AV", "NALP"), Map.entry("PR", "NLH"),
      Map.entry("UI", "NPA"), Map.entry("AC", "LH"), Map.entry("AT", "NP"), Map.entry("VC", "HLN"),
      Map.entry("VI", "HLN"), Map.entry("VA", "HLN"), Map.entry("SC", "-HLN"), Map.entry("SI", "SHLN"),
      Map.entry("SA", "SHLN"), Map.entry("CR", "HML"), Map.entry("IR", "HML"), Map.entry("AR", "HML"));

  /**
   * The MacroVector scores of the specification's table, 45 per (EQ1, EQ2) pair in the order
   * EQ1 EQ2 = 00, 01, 10, 11, 20, 21; within a pair: EQ3 = 0 and 1 each with EQ4 0–2 × EQ5 0–2 ×
   * EQ6 0–1, then EQ3 = 2 (EQ6 is always 1 there) with EQ4 0–2 × EQ5 0–2.
   */
  private static final String[] TABLE = {
    "10 9.9 9.8 9.5 9.5 9.2 10 9.6 9.3 8.7 9.1 8.1 9.3 9 8.9 8 8.1 6.8 "
        + "9.8 9.5 9.5 9.2 9 8.4 9.3 9.2 8.9 8.1 8.1 6.5 8.8 8 7.8 7 6.9 4.8 9.2 8.2 7.2 7.9 6.9 5 6.9 5.5 2.7",
    "9.9 9.7 9.5 9.2 9.2 8.5 9.5 9.1 9 8.3 8.4 7.1 9.2 8.1 8.2 7.1 7.2 5.3 "
        + "9.5 9.3 9.2 8.5 8.5 7.3 9.2 8.2 8 7.2 7 5.9 8.4 7 7.1 5.2 5 3 8.6 7.5 5.2 7.1 5.2 2.9 6.3 2.9 1.7",
    "9.8 9.5 9.4 8.7 9.1 8.1 9.4 8.9 8.6 7.4 7.7 6.4 8.7 7.5 7.4 6.3 6.3 4.9 "
        + "9.4 8.9 8.8 7.7 7.6 6.7 8.6 7.6 7.4 5.8 5.9 5 7.2 5.7 5.7 5.2 5.2 2.5 8.3 7 5.4 6.5 5.8 2.6 5.3 2.1 1.3",
    "9.5 9 8.8 7.6 7.6 7 9 7.7 7.5 6.2 6.1 5.3 7.7 6.6 6.8 5.9 5.2 3 "
        + "8.9 7.8 7.6 6.7 6.2 5.8 7.4 5.9 5.7 5.7 4.7 2.3 6.1 5.2 5.7 2.9 2.4 1.6 7.1 5.9 3 5.8 2.6 1.5 2.3 1.3 0.6",
    "9.3 8.7 8.6 7.2 7.5 5.8 8.6 7.4 7.4 6.1 5.6 3.4 7 5.4 5.2 4 4 2.2 "
        + "8.5 7.5 7.4 5.5 6.2 5.1 7.2 5.7 5.5 4.1 4.6 1.9 5.3 3.6 3.4 1.9 1.9 0.8 6.4 5.1 2 4.7 2.1 1.1 2.4 0.9 0.4",
    "8.8 7.5 7.3 5.3 6 5 7.3 5.5 5.9 4 4.1 2 5.4 4.3 4.5 2.2 2 1.1 "
        + "7.5 5.5 5.8 4.5 4 2.1 6.1 5.1 4.8 1.8 2 0.9 4.6 1.8 1.7 0.7 0.8 0.2 5.3 2.4 1.4 2.4 1.2 0.5 1 0.3 0.1",
  };

  private static final Map<String, Double> MACRO = macroVectors();

  /** The highest vectors of each EQ class (the specification's "max composed"), by EQ value. */
  private static final String[][] MAX_EQ1 = {{"AV:N/PR:N/UI:N"}, {"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"},
      {"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"}};
  private static final String[][] MAX_EQ2 = {{"AC:L/AT:N"}, {"AC:H/AT:N", "AC:L/AT:P"}};
  private static final String[][][] MAX_EQ3_EQ6 = {
    {{"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"}, {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"}},
    {{"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"},
      {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
        "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"}},
    {{}, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"}},
  };
  private static final String[][] MAX_EQ4 = {{"SC:H/SI:S/SA:S"}, {"SC:H/SI:H/SA:H"}, {"SC:L/SI:L/SA:L"}};

  /** The depth of each EQ class in severity-distance steps (the specification's "max severity"). */
  private static final int[] DEPTH_EQ1 = {1, 4, 5};
  private static final int[] DEPTH_EQ2 = {1, 2};
  private static final int[][] DEPTH_EQ3_EQ6 = {{7, 6}, {8, 8}, {0, 10}};
  private static final int[] DEPTH_EQ4 = {6, 5, 4};

  private static Map<String, Double> macroVectors() {
    Map<String, Double> out = new HashMap<>();
    String[] pairs = {"00", "01", "10", "11", "20", "21"};
    for (int p = 0; p < pairs.length; p++) {
      String[] scores = TABLE[p].split(" ");
      int i = 0;
      for (int eq3 = 0; eq3 <= 2; eq3++) {
        for (int eq4 = 0; eq4 <= 2; eq4++) {
          for (int eq5 = 0; eq5 <= 2; eq5++) {
            for (int eq6 = eq3 == 2 ? 1 : 0; eq6 <= 1; eq6++) {
              out.put(pairs[p] + eq3 + eq4 + eq5 + eq6, Double.parseDouble(scores[i++]));
            }
          }
        }
      }
      if (i != scores.length) {
        throw new IllegalStateException("CVSS v4 table row " + pairs[p] + " has " + scores.length + " scores");
      }
    }
    return out;
  }

  /** The score of a {@code CVSS:4.0/…} vector; empty when it is not a valid one. */
  static Optional<Double> score(String vector) {
    Map<String, String> given = parse(vector);
    if (given == null) {
      return Optional.empty();
    }
    Map<String, String> m = effective(given);
    if (List.of("VC", "VI", "VA", "SC", "SI", "SA").stream().allMatch(k -> m.get(k).equals("N"))) {
      return Optional.of(0.0);
    }
    int eq1 = is(m, "AV", "N") && is(m, "PR", "N") && is(m, "UI", "N") ? 0
        : (is(m, "AV", "N") || is(m, "PR", "N") || is(m, "UI", "N")) && !is(m, "AV", "P") ? 1 : 2;
    int eq2 = is(m, "AC", "L") && is(m, "AT", "N") ? 0 : 1;
    int eq3 = is(m, "VC", "H") && is(m, "VI", "H") ? 0 : is(m, "VC", "H") || is(m, "VI", "H") || is(m, "VA", "H") ? 1 : 2;
    int eq4 = is(m, "SI", "S") || is(m, "SA", "S") ? 0 : is(m, "SC", "H") || is(m, "SI", "H") || is(m, "SA", "H") ? 1 : 2;
    int eq5 = "APU".indexOf(m.get("E"));
    int eq6 = is(m, "CR", "H") && is(m, "VC", "H") || is(m, "IR", "H") && is(m, "VI", "H")
        || is(m, "AR", "H") && is(m, "VA", "H") ? 0 : 1;
    double value = MACRO.get(key(eq1, eq2, eq3, eq4, eq5, eq6));

    double lowerEq1 = lookup(key(eq1 + 1, eq2, eq3, eq4, eq5, eq6));
    double lowerEq2 = lookup(key(eq1, eq2 + 1, eq3, eq4, eq5, eq6));
    double lowerEq3Eq6;
    if (eq3 == 0 && eq6 == 0) {
      lowerEq3Eq6 = Math.max(lookup(key(eq1, eq2, eq3, eq4, eq5, eq6 + 1)), lookup(key(eq1, eq2, eq3 + 1, eq4, eq5, eq6)));
    } else if (eq3 == 1 && eq6 == 0) {
      lowerEq3Eq6 = lookup(key(eq1, eq2, eq3, eq4, eq5, eq6 + 1));
    } else if (eq6 == 1 && eq3 < 2) {
      lowerEq3Eq6 = lookup(key(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
    } else {
      lowerEq3Eq6 = Double.NaN;
    }
    double lowerEq4 = lookup(key(eq1, eq2, eq3, eq4 + 1, eq5, eq6));
    double lowerEq5 = lookup(key(eq1, eq2, eq3, eq4, eq5 + 1, eq6));

    // the first of the class's highest vectors that this vector is not more severe than, in any metric
    Map<String, Double> distance = null;
    search:
    for (String a : MAX_EQ1[eq1]) {
      for (String b : MAX_EQ2[eq2]) {
        for (String c : MAX_EQ3_EQ6[eq3][eq6]) {
          for (String d : MAX_EQ4[eq4]) {
            distance = distances(m, a + "/" + b + "/" + c + "/" + d);
            if (distance.values().stream().allMatch(x -> x >= 0)) {
              break search;
            }
          }
        }
      }
    }
    double step = 0.1;
    double[] available = {value - lowerEq1, value - lowerEq2, value - lowerEq3Eq6, value - lowerEq4, value - lowerEq5};
    double[] current = {
      sum(distance, "AV", "PR", "UI"), sum(distance, "AC", "AT"), sum(distance, "VC", "VI", "VA", "CR", "IR", "AR"),
      sum(distance, "SC", "SI", "SA"), 0,
    };
    double[] depth = {DEPTH_EQ1[eq1] * step, DEPTH_EQ2[eq2] * step, DEPTH_EQ3_EQ6[eq3][eq6] * step, DEPTH_EQ4[eq4] * step, 1};
    int lower = 0;
    double normalized = 0;
    for (int i = 0; i < available.length; i++) {
      if (available[i] >= 0) { // NaN (no lower MacroVector) is not
        lower++;
        normalized += available[i] * (current[i] / depth[i]);
      }
    }
    double score = value - (lower == 0 ? 0 : normalized / lower);
    score = Math.min(10.0, Math.max(0.0, score));
    // one decimal, half up; the small addend keeps float error from deciding a tie, as FIRST's calculator does
    return Optional.of(BigDecimal.valueOf(score + 1e-6).setScale(1, RoundingMode.HALF_UP).doubleValue());
  }

  private static String key(int... eqs) {
    StringBuilder s = new StringBuilder();
    for (int e : eqs) {
      s.append(e);
    }
    return s.toString();
  }

  private static double lookup(String key) {
    Double v = MACRO.get(key);
    return v == null ? Double.NaN : v;
  }

  private static boolean is(Map<String, String> m, String metric, String value) {
    return m.get(metric).equals(value);
  }

  private static double sum(Map<String, Double> distance, String... metrics) {
    double s = 0;
    for (String k : metrics) {
      s += distance.get(k);
    }
    return s;
  }

  /** Per metric, how much less severe this vector is than {@code max}, in the specification's 0.1 steps. */
  private static Map<String, Double> distances(Map<String, String> m, String max) {
    Map<String, Double> out = new HashMap<>();
    for (String part : max.split("/")) {
      String metric = part.substring(0, part.indexOf(':'));
      out.put(metric, level(metric, m.get(metric)) - level(metric, part.substring(part.indexOf(':') + 1)));
    }
    return out;
  }

  private static double level(String metric, String value) {
    return LEVELS.get(metric).indexOf(value) / 10.0;
  }

  /** The values that score: each base metric as modified, and the Not Defined defaults filled in. */
  private static Map<String, String> effective(Map<String, String> given) {
    Map<String, String> m = new HashMap<>();
    for (String k : BASE) {
      String modified = given.getOrDefault("M" + k, "X");
      m.put(k, modified.equals("X") ? given.get(k) : modified);
    }
    String e = given.getOrDefault("E", "X");
    m.put("E", e.equals("X") ? "A" : e);
    for (String k : List.of("CR", "IR", "AR")) {
      String r = given.getOrDefault(k, "X");
      m.put(k, r.equals("X") ? "H" : r);
    }
    return m;
  }

  /** The metrics of a well-formed vector: known metrics with allowed values, no repeats, every base metric. */
  private static Map<String, String> parse(String vector) {
    if (!vector.startsWith("CVSS:4.0/") || vector.endsWith("/")) {
      return null;
    }
    Map<String, String> given = new HashMap<>();
    for (String part : vector.substring("CVSS:4.0/".length()).split("/")) {
      int colon = part.indexOf(':');
      if (colon <= 0) {
        return null;
      }
      String metric = part.substring(0, colon);
      String value = part.substring(colon + 1);
      boolean allowed = metric.equals("U") ? URGENCY.contains(value)
          : VALUES.containsKey(metric) && value.length() == 1 && VALUES.get(metric).contains(value);
      if (!allowed || given.put(metric, value) != null) {
        return null;
      }
    }
    return given.keySet().containsAll(BASE) ? given : null;
  }
}

package dev.kapas.vuln.version;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0.0 precedence: major, minor, patch by number; a pre-release is older than
 * its release; pre-release identifiers compare numerically when both are numeric, numeric before
 * alphanumeric, else by ASCII order, a longer list newer when all else is equal; build metadata is
 * ignored. npm reads versions as node-semver's loose mode does (a leading {@code v} or {@code =},
 * spaces); crates.io as Cargo does (strict).
 */
public final class SemVer implements VersionOrder {
  public static final SemVer NPM = new SemVer("npm", Pattern.compile(
      "^\\s*[v=\\s]*(\\d+)\\.(\\d+)\\.(\\d+)(?:-?((?:\\d+|\\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\\.(?:\\d+|\\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?"
          + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?\\s*$"));
  public static final SemVer CARGO = new SemVer("crates.io", Pattern.compile(
      "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$"));

  private final String ecosystem;
  private final Pattern grammar;

  private SemVer(String ecosystem, Pattern grammar) {
    this.ecosystem = ecosystem;
    this.grammar = grammar;
  }

  @Override
  public int compare(String a, String b) {
    String[] x = parse(a);
    String[] y = parse(b);
    for (int g = 0; g < 3; g++) {
      int c = Versions.compareDigits(x[g], y[g]);
      if (c != 0) {
        return c;
      }
    }
    return comparePrerelease(x[3], y[3]);
  }

  /** Major, minor, patch and pre-release (null: none). */
  private String[] parse(String v) {
    String[] plain = plain(v);
    if (plain != null) {
      return plain;
    }
    Matcher m = grammar.matcher(v);
    if (!m.matches()) {
      throw new InvalidVersionException(ecosystem, v);
    }
    return new String[] {m.group(1), m.group(2), m.group(3), m.group(4)};
  }

  /**
   * The common case without the regular expression: {@code N.N.N}, each number {@code 0} or
   * without leading zeros, nothing else; which both grammars read the same. Null for anything else.
   */
  private static String[] plain(String v) {
    String[] parts = new String[4];
    int start = 0;
    for (int p = 0; p < 3; p++) {
      int end = start;
      while (end < v.length() && v.charAt(end) >= '0' && v.charAt(end) <= '9') {
        end++;
      }
      boolean last = p == 2;
      if (end == start || (v.charAt(start) == '0' && end - start > 1)
          || (last ? end != v.length() : end == v.length() || v.charAt(end) != '.')) {
        return null;
      }
      parts[p] = v.substring(start, end);
      start = end + 1;
    }
    return parts;
  }

  /** Pre-release precedence (SemVer 2.0.0 item 11); null or empty means a release. */
  static int comparePrerelease(String a, String b) {
    boolean aRelease = a == null || a.isEmpty();
    boolean bRelease = b == null || b.isEmpty();
    if (aRelease || bRelease) {
      return Boolean.compare(aRelease, bRelease);
    }
    List<String> x = List.of(a.split("\\.", -1));
    List<String> y = List.of(b.split("\\.", -1));
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = compareIdentifier(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  static int compareIdentifier(String a, String b) {
    boolean an = isNumeric(a);
    boolean bn = isNumeric(b);
    if (an && bn) {
      return Versions.compareDigits(a, b);
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    return Integer.signum(a.compareTo(b));
  }

  static boolean isNumeric(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}

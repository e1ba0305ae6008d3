package dev.kapas.vuln.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyPI's order, PEP 440 (as pypa/packaging implements it): epoch, release (trailing zeros do not
 * count), then dev releases before pre-releases ({@code a < b < rc}, with the spellings PEP 440
 * normalises: alpha, beta, c, pre, preview) before the release before post-releases, and a local
 * label ({@code +ubuntu1}) newer than none, its numeric parts newer than alphabetic ones.
 */
public final class Pep440Version implements VersionOrder {
  private static final Pattern GRAMMAR = Pattern.compile(
      "\\s*v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
          + "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?"
          + "(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d+)?))?"
          + "(?:[-_.]?(dev)[-_.]?(\\d+)?)?"
          + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*",
      Pattern.CASE_INSENSITIVE);

  /** A parsed version; {@code pre}/{@code post}/{@code dev} are absent as -1 / "" per their role. */
  private record Parsed(String epoch, List<String> release, int preKind, String preNumber, String post,
      String dev, List<String> local) {}

  @Override
  public int compare(String a, String b) {
    Parsed x = parse(a);
    Parsed y = parse(b);
    int c = Versions.compareDigits(x.epoch, y.epoch);
    if (c != 0) {
      return c;
    }
    int n = Math.max(x.release.size(), y.release.size());
    for (int i = 0; i < n; i++) {
      c = Versions.compareDigits(i < x.release.size() ? x.release.get(i) : "0", i < y.release.size() ? y.release.get(i) : "0");
      if (c != 0) {
        return c;
      }
    }
    c = Integer.compare(preRank(x), preRank(y));
    if (c == 0 && x.preKind >= 0 && y.preKind >= 0) {
      c = Versions.compareDigits(x.preNumber, y.preNumber);
    }
    if (c == 0) {
      c = compareOptional(x.post, y.post, -1);
    }
    if (c == 0) {
      c = compareOptional(x.dev, y.dev, 1);
    }
    return c != 0 ? c : compareLocal(x.local, y.local);
  }

  /** A dev release with no pre- or post-release sorts before every pre-release of its version. */
  private static int preRank(Parsed p) {
    if (p.preKind >= 0) {
      return p.preKind;
    }
    return p.post == null && p.dev != null ? -1 : 3;
  }

  /** Compares optional numbers; an absent one sorts as {@code absentSign} (before or after any). */
  private static int compareOptional(String a, String b, int absentSign) {
    if (a == null || b == null) {
      return a == null && b == null ? 0 : (a == null ? absentSign : -absentSign);
    }
    return Versions.compareDigits(a, b);
  }

  private static int compareLocal(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(!a.isEmpty(), !b.isEmpty());
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = SemVer.isNumeric(x);
      boolean yn = SemVer.isNumeric(y);
      int c = xn && yn ? Versions.compareDigits(x, y) : xn != yn ? (xn ? 1 : -1) : Integer.signum(x.compareTo(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static Parsed parse(String v) {
    Matcher m = GRAMMAR.matcher(v);
    if (!m.matches()) {
      throw new InvalidVersionException("PyPI", v);
    }
    int preKind = -1;
    if (m.group(3) != null) {
      preKind = switch (m.group(3).toLowerCase(Locale.ROOT)) {
        case "a", "alpha" -> 0;
        case "b", "beta" -> 1;
        default -> 2;
      };
    }
    String post = m.group(5) != null ? m.group(5) : m.group(6) != null ? orZero(m.group(7)) : null;
    String dev = m.group(8) != null ? orZero(m.group(9)) : null;
    List<String> local = new ArrayList<>();
    if (m.group(10) != null) {
      for (String part : m.group(10).toLowerCase(Locale.ROOT).split("[-_.]")) {
        local.add(part);
      }
    }
    return new Parsed(orZero(m.group(1)), List.of(m.group(2).split("\\.")), preKind, orZero(m.group(4)), post, dev,
        local);
  }

  private static String orZero(String digits) {
    return digits == null ? "0" : digits;
  }
}

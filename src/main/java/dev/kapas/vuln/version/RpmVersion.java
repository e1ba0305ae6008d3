package dev.kapas.vuln.version;

/**
 * RPM's order: {@code [epoch:]version[-release]}, the epoch by number, then version and release
 * each by rpmvercmp: alphanumeric segments split on anything else, {@code ~} before everything
 * (pre-releases), {@code ^} after the end but before anything more (post-release snapshots), a
 * numeric segment newer than an alphabetic one, the longer string newer when all else is equal.
 */
public final class RpmVersion implements VersionOrder {

  @Override
  public int compare(String a, String b) {
    Evr x = Evr.of(a.strip());
    Evr y = Evr.of(b.strip());
    int c = Versions.compareDigits(x.epoch, y.epoch);
    if (c == 0) {
      c = rpmvercmp(x.version, y.version);
    }
    // a range bound without a release (1.2) covers every release of that version
    if (c == 0 && !x.release.isEmpty() && !y.release.isEmpty()) {
      c = rpmvercmp(x.release, y.release);
    }
    return c;
  }

  private record Evr(String epoch, String version, String release) {
    static Evr of(String v) {
      int colon = v.indexOf(':');
      String epoch = colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit) ? v.substring(0, colon) : "0";
      String rest = colon > 0 ? v.substring(colon + 1) : v;
      int dash = rest.lastIndexOf('-');
      return dash < 0 ? new Evr(epoch, rest, "") : new Evr(epoch, rest.substring(0, dash), rest.substring(dash + 1));
    }
  }

  /** rpmvercmp on two bare version (or release) strings. */
  public static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && !isAlnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
        i++;
      }
      while (j < b.length() && !isAlnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
        j++;
      }
      boolean aTilde = i < a.length() && a.charAt(i) == '~';
      boolean bTilde = j < b.length() && b.charAt(j) == '~';
      if (aTilde || bTilde) {
        if (!aTilde) {
          return 1;
        }
        if (!bTilde) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      boolean aCaret = i < a.length() && a.charAt(i) == '^';
      boolean bCaret = j < b.length() && b.charAt(j) == '^';
      if (aCaret || bCaret) {
        if (i >= a.length()) {
          return -1;
        }
        if (j >= b.length()) {
          return 1;
        }
        if (!aCaret) {
          return 1;
        }
        if (!bCaret) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (i >= a.length() || j >= b.length()) {
        break;
      }
      boolean numeric = isDigit(a.charAt(i));
      int si = i;
      int sj = j;
      while (i < a.length() && (numeric ? isDigit(a.charAt(i)) : isAlpha(a.charAt(i)))) {
        i++;
      }
      while (j < b.length() && (numeric ? isDigit(b.charAt(j)) : isAlpha(b.charAt(j)))) {
        j++;
      }
      if (sj == j) {
        // segments of different types: numeric is newer
        return numeric ? 1 : -1;
      }
      String x = a.substring(si, i);
      String y = b.substring(sj, j);
      int c = numeric ? Versions.compareDigits(x, y) : Integer.signum(x.compareTo(y));
      if (c != 0) {
        return c;
      }
    }
    if (i >= a.length() && j >= b.length()) {
      return 0;
    }
    return i >= a.length() ? -1 : 1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isDigit(c) || isAlpha(c);
  }
}

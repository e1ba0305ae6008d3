package dev.kapas.vuln.version;

/**
 * dpkg's order (deb-version(7)): {@code [epoch:]upstream[-revision]}, the epoch by number, then
 * upstream and revision each compared as alternating non-digit and digit runs, where {@code ~}
 * sorts before everything, even the end of the string, and letters before other characters.
 */
public final class DpkgVersion implements VersionOrder {

  @Override
  public int compare(String a, String b) {
    Parts x = Parts.of(a.strip());
    Parts y = Parts.of(b.strip());
    int c = Versions.compareDigits(x.epoch, y.epoch);
    if (c == 0) {
      c = compareFragment(x.upstream, y.upstream);
    }
    if (c == 0) {
      c = compareFragment(x.revision, y.revision);
    }
    return c;
  }

  private record Parts(String epoch, String upstream, String revision) {
    static Parts of(String v) {
      int colon = v.indexOf(':');
      String epoch = colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit) ? v.substring(0, colon) : "0";
      String rest = colon >= 0 ? v.substring(colon + 1) : v;
      int dash = rest.lastIndexOf('-');
      return dash < 0 ? new Parts(epoch, rest, "") : new Parts(epoch, rest.substring(0, dash), rest.substring(dash + 1));
    }
  }

  /** Shared with {@link ApkVersion}'s fallback and Ubuntu: dpkg's verrevcmp. */
  static int compareFragment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
        int ac = i < a.length() ? order(a.charAt(i)) : 0;
        int bc = j < b.length() ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return Integer.signum(ac - bc);
        }
        i++;
        j++;
      }
      int si = i;
      while (i < a.length() && isDigit(a.charAt(i))) {
        i++;
      }
      int sj = j;
      while (j < b.length() && isDigit(b.charAt(j))) {
        j++;
      }
      firstDiff = Versions.compareDigits(a.substring(Math.min(si, a.length()), Math.min(i, a.length())),
          b.substring(Math.min(sj, b.length()), Math.min(j, b.length())));
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int order(char c) {
    if (isDigit(c)) {
      return 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return c;
    } else if (c == '~') {
      return -1;
    }
    return c + 256;
  }
}

package dev.kapas.vuln.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Packagist's order: Composer compares normalised versions with PHP's version_compare, which
 * splits at {@code . - _ +} and at digit/letter transitions and ranks the special words
 * {@code dev < alpha = a < beta = b < RC = rc < (number) < pl = p}; other words sort before
 * {@code dev}. A leading {@code v} is dropped, as Composer's normaliser does.
 */
public final class ComposerVersion implements VersionOrder {

  @Override
  public int compare(String a, String b) {
    List<String> x = parts(a);
    List<String> y = parts(b);
    int n = Math.max(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      // PHP: a missing part against a number compares as less; against a word, by its rank
      if (i >= x.size()) {
        return SemVer.isNumeric(y.get(i)) ? -1 : -Integer.signum(rank(y.get(i)) - rank("#"));
      }
      if (i >= y.size()) {
        return SemVer.isNumeric(x.get(i)) ? 1 : Integer.signum(rank(x.get(i)) - rank("#"));
      }
      String l = x.get(i);
      String r = y.get(i);
      boolean ln = SemVer.isNumeric(l);
      boolean rn = SemVer.isNumeric(r);
      int c = ln && rn ? Versions.compareDigits(l, r) : Integer.signum(rank(ln ? "#" : l) - rank(rn ? "#" : r));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int rank(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.startsWith("dev")) {
      return 0;
    } else if (w.startsWith("alpha") || w.equals("a")) {
      return 1;
    } else if (w.startsWith("beta") || w.equals("b")) {
      return 2;
    } else if (w.startsWith("rc")) {
      return 3;
    } else if (w.equals("#")) {
      return 4;
    } else if (w.startsWith("pl") || w.equals("p")) {
      return 5;
    }
    return -6;
  }

  private static List<String> parts(String version) {
    String v = version.strip();
    if (v.startsWith("v") || v.startsWith("V")) {
      v = v.substring(1);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (char c : v.toCharArray()) {
      boolean sep = c == '.' || c == '-' || c == '_' || c == '+';
      boolean transition = cur.length() > 0 && !sep
          && Character.isDigit(cur.charAt(cur.length() - 1)) != Character.isDigit(c);
      if (sep || transition) {
        if (cur.length() > 0) {
          out.add(cur.toString());
        }
        cur.setLength(0);
      }
      if (!sep) {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}

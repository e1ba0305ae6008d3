package dev.kapas.vuln.version;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NuGet's order (NuGet.Versioning's default comparer): up to four numeric parts (missing ones are
 * 0, leading zeros allowed), then the release label by SemVer 2.0.0 pre-release rules but without
 * regard to case; build metadata is ignored.
 */
public final class NuGetVersion implements VersionOrder {
  private static final Pattern GRAMMAR = Pattern.compile(
      "\\s*[vV]?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z-.]*)?\\s*");

  @Override
  public int compare(String a, String b) {
    Matcher x = parse(a);
    Matcher y = parse(b);
    for (int g = 1; g <= 4; g++) {
      int c = Versions.compareDigits(orZero(x.group(g)), orZero(y.group(g)));
      if (c != 0) {
        return c;
      }
    }
    return SemVer.comparePrerelease(lower(x.group(5)), lower(y.group(5)));
  }

  private static Matcher parse(String v) {
    Matcher m = GRAMMAR.matcher(v);
    if (!m.matches()) {
      throw new InvalidVersionException("NuGet", v);
    }
    return m;
  }

  private static String lower(String label) {
    return label == null ? null : label.toLowerCase(Locale.ROOT);
  }

  private static String orZero(String digits) {
    return digits == null ? "0" : digits;
  }
}

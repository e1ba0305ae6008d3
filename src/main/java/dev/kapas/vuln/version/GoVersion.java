package dev.kapas.vuln.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go modules' order (golang.org/x/mod/semver): semantic versions with an optional {@code v}
 * (OSV's Go ranges omit it), {@code v1} and {@code v1.2} as shorthands for {@code v1.0.0} and
 * {@code v1.2.0}, {@code +incompatible} and other build metadata ignored. Pseudo-versions
 * ({@code v0.0.0-20210101000000-abcdef123456}) are pre-releases and order by their timestamp. The
 * standard library's own versions ({@code go1.21.5}, {@code go1.22rc1}) are read as Go's
 * vulnerability database writes them ({@code 1.21.5}, {@code 1.22.0-rc.1}).
 */
public final class GoVersion implements VersionOrder {
  private static final Pattern SEMVER = Pattern.compile(
      "v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*)"
          + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?)?)?");
  private static final Pattern TOOLCHAIN = Pattern.compile("go(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?");

  @Override
  public int compare(String a, String b) {
    Matcher x = parse(a);
    Matcher y = parse(b);
    for (int g = 1; g <= 3; g++) {
      int c = Versions.compareDigits(orZero(x.group(g)), orZero(y.group(g)));
      if (c != 0) {
        return c;
      }
    }
    return SemVer.comparePrerelease(x.group(4), y.group(4));
  }

  private static Matcher parse(String v) {
    Matcher m = SEMVER.matcher(toolchainAsSemver(v));
    if (!m.matches() || (m.group(2) == null || m.group(3) == null) && v.matches(".*[-+].*")) {
      throw new InvalidVersionException("Go", v);
    }
    return m;
  }

  /** {@code go1.21rc2} as {@code 1.21.0-rc.2}; anything else unchanged. */
  static String toolchainAsSemver(String v) {
    Matcher m = TOOLCHAIN.matcher(v);
    if (!m.matches()) {
      return v;
    }
    String semver = m.group(1) + "." + orZero(m.group(2)) + "." + orZero(m.group(3));
    return m.group(4) == null ? semver : semver + "-" + m.group(4) + "." + m.group(5);
  }

  private static String orZero(String digits) {
    return digits == null ? "0" : digits;
  }
}

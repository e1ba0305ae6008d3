package dev.kapas.vuln.version;

import java.util.Locale;
import java.util.Optional;

/** The version order of an OSV ecosystem, by its name as OSV spells it ({@code Debian:12} too). */
public final class Versions {
  private Versions() {}

  /** Empty when kapas does not know how the ecosystem orders versions (its records are then not matched). */
  public static Optional<VersionOrder> forEcosystem(String ecosystem) {
    int colon = ecosystem.indexOf(':');
    String base = (colon < 0 ? ecosystem : ecosystem.substring(0, colon)).toLowerCase(Locale.ROOT);
    VersionOrder order = switch (base) {
      case "debian", "ubuntu" -> new DpkgVersion();
      case "alpine", "wolfi", "chainguard" -> new ApkVersion();
      case "red hat", "rocky linux", "almalinux", "opensuse", "suse", "mageia", "openeuler" -> new RpmVersion();
      case "maven" -> new MavenVersion();
      case "npm" -> SemVer.NPM;
      case "crates.io" -> SemVer.CARGO;
      case "pypi" -> new Pep440Version();
      case "go" -> new GoVersion();
      case "rubygems" -> new GemVersion();
      case "nuget" -> new NuGetVersion();
      case "packagist" -> new ComposerVersion();
      default -> null;
    };
    return Optional.ofNullable(order);
  }

  /** Compares two runs of ASCII digits by value, whatever their length and leading zeros ("" is 0). */
  static int compareDigits(String a, String b) {
    String x = stripZeros(a);
    String y = stripZeros(b);
    return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : Integer.signum(x.compareTo(y));
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }
}

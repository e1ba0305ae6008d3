package dev.kapas.source.image;

import java.util.Locale;
import java.util.Optional;

/** An image platform, {@code os/architecture[/variant]} as {@code docker --platform} writes it. */
public record Platform(String os, String architecture, String variant) {

  /** {@code linux/<this machine's architecture>}, in the names images use. */
  public static Platform current() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return new Platform("linux", switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> arch;
    }, "");
  }

  public static Optional<Platform> parse(String text) {
    String[] p = text.strip().toLowerCase(Locale.ROOT).split("/", -1);
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty() || (p.length == 3 && p[2].isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new Platform(p[0], p[1], p.length == 3 ? p[2] : ""));
  }

  /**
   * Whether an index entry for {@code other} serves this platform: os and architecture equal, and
   * the variant equal when this one names one (arm64 images are often {@code arm64/v8}, often not).
   */
  boolean accepts(Platform other) {
    return os.equals(other.os) && architecture.equals(other.architecture)
        && (variant.isEmpty() || variant.equals(other.variant));
  }

  public String display() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}

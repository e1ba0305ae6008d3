package dev.kapas.engine;

import java.util.Optional;

/**
 * A Pod Security Standards version, named like the admission controller's ({@code v1.0} ...
 * {@code v1.37}, or {@code latest}). Only the minor number matters: all are 1.x.
 */
public record PssVersion(int minor) implements Comparable<PssVersion> {
  /** The newest version whose checks kapas implements. */
  public static final PssVersion LATEST = new PssVersion(37);

  public static Optional<PssVersion> parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("latest")) {
      return Optional.of(LATEST);
    }
    if (t.startsWith("v")) {
      t = t.substring(1);
    }
    if (!t.startsWith("1.")) {
      return Optional.empty();
    }
    try {
      int minor = Integer.parseInt(t.substring(2));
      return minor >= 0 && minor <= LATEST.minor() ? Optional.of(new PssVersion(minor)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True from version {@code 1.minor} on. */
  public boolean atLeast(int otherMinor) {
    return minor >= otherMinor;
  }

  @Override
  public int compareTo(PssVersion o) {
    return Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return "v1." + minor;
  }
}

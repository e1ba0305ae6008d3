package dev.kapas.vuln.version;

/**
 * How one ecosystem orders its versions. {@link #compare} returns a negative number, zero or a
 * positive number as {@code a} is older than, the same as or newer than {@code b}, exactly as that
 * ecosystem's own tool decides (dpkg, apk, rpm, Maven, node-semver, packaging, x/mod, RubyGems,
 * NuGet, Composer).
 */
public interface VersionOrder {

  /** @throws InvalidVersionException when the ecosystem's tool would refuse {@code a} or {@code b} */
  int compare(String a, String b);
}

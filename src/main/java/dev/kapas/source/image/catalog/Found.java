package dev.kapas.source.image.catalog;

import java.util.Map;

/**
 * One package a cataloger read from one file, before the image's os-release is known: distribution
 * packages get their ecosystem release and purl namespace/distro only after the last layer.
 *
 * @param purlType purl type ({@code deb}, {@code rpm}, {@code apk}, {@code maven}, {@code npm},
 *     {@code pypi}, {@code golang})
 * @param purlNamespace purl namespace; empty for distribution packages (the os-release id fills it)
 * @param purlName purl name
 * @param purlVersion purl version (rpm: version-release without the epoch, which is a qualifier)
 * @param qualifiers purl qualifiers known from the file itself (arch, epoch)
 * @param name the package name as its ecosystem spells it
 * @param version the installed version as the ecosystem's tools print it
 * @param sourceName the source package, or {@code name}
 * @param sourceVersion the source package's version, or {@code version}
 * @param line 1-based line in the file declaring the package, 0 when there is none
 */
record Found(
    String purlType,
    String purlNamespace,
    String purlName,
    String purlVersion,
    Map<String, String> qualifiers,
    String name,
    String version,
    String sourceName,
    String sourceVersion,
    int line) {

  /** A package of a language ecosystem, whose purl is namespace/name@version and has no source package. */
  static Found library(String purlType, String purlNamespace, String purlName, String name, String version) {
    return new Found(purlType, purlNamespace, purlName, version, Map.of(), name, version, name, version, 0);
  }

  Found atLine(int declaredAt) {
    return new Found(purlType, purlNamespace, purlName, purlVersion, qualifiers, name, version, sourceName, sourceVersion,
        declaredAt);
  }

  boolean isDistributionPackage() {
    return purlType.equals("deb") || purlType.equals("rpm") || purlType.equals("apk");
  }
}

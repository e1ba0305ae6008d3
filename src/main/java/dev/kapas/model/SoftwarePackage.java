package dev.kapas.model;

/**
 * A software package found inside an image, an SBOM or a source tree: what the catalogers of
 * {@code kapas image} and {@code kapas code} produce and what the vulnerability matcher reads.
 *
 * @param ecosystem the OSV ecosystem the package belongs to, with the release for distribution
 *     packages: {@code Debian:12}, {@code Alpine:v3.19}, {@code Ubuntu:22.04}, {@code
 *     Red Hat:enterprise_linux:9}, {@code npm}, {@code Maven}, {@code PyPI}, {@code Go}, {@code
 *     crates.io}, {@code RubyGems}, {@code NuGet}, {@code Packagist}
 * @param name the package name as that ecosystem spells it ({@code groupId:artifactId} for Maven)
 * @param version the installed version, unparsed
 * @param sourceName the distribution's source package (dpkg {@code Source:}, the name in rpm's
 *     {@code SOURCERPM}, apk's {@code o:}), which distribution advisories name; the package's own
 *     name where the ecosystem has no source packages
 * @param sourceVersion the source package's version (dpkg allows it to differ); {@code version}
 *     otherwise
 * @param purl the package URL (purl-spec) of this package
 * @param path the file the package was read from: a path inside the image, or a file of the tree
 * @param line the 1-based line in {@code path} that declares the package, 0 when there is none
 * @param layer the digest of the image layer that brought {@code path}, empty outside images
 */
public record SoftwarePackage(
    String ecosystem,
    String name,
    String version,
    String sourceName,
    String sourceVersion,
    String purl,
    String path,
    int line,
    String layer) {}

package dev.kapas.source.image.catalog;

/**
 * What an SBOM describes: an image as the user named it and the digest it resolved to.
 *
 * @param reference the image reference or path as given ({@code registry.example.com/app:1.2}, {@code ./app.tar})
 * @param digest the manifest digest ({@code sha256:…}); empty when there is none (a directory tree)
 */
public record SbomSubject(String reference, String digest) {}

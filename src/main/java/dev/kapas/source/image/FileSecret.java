package dev.kapas.source.image;

import dev.kapas.rules.code.SecretDetector;

/**
 * A credential pattern seen in a file of a layer: where, and the detector's redacted match (which
 * holds no secret). Kept even when a later layer deletes the file: the layer still ships it.
 */
public record FileSecret(String path, String layer, SecretDetector.Match match) {}

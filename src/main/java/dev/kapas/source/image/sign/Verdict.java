package dev.kapas.source.image.sign;

/**
 * What one signature came to.
 *
 * @param where where the signature was found
 * @param valid it verifies with {@code key} and signs the image's digest
 * @param key the key it verified with; empty when it verified with none
 * @param reason why it is not valid (empty when it is)
 */
public record Verdict(String where, boolean valid, String key, String reason) {}

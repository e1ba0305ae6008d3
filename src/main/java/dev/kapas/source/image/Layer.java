package dev.kapas.source.image;

/**
 * One layer as the manifest lists it.
 *
 * @param digest the blob's digest (of the bytes as stored, compressed or not)
 * @param diffId the digest of the uncompressed tar, the same whatever the transport: what
 *     files and packages name as the layer that brought them
 * @param size the blob's size in bytes
 * @param mediaType as the manifest gives it
 */
public record Layer(String digest, String diffId, long size, String mediaType) {}

package dev.kapas.source.image.sign;

/**
 * One signature as cosign stores it: a layer of a signature manifest whose blob is the signed
 * payload (simple signing JSON) and whose annotation carries the signature.
 *
 * @param where where it was found, for messages: {@code tag sha256-….sig} or {@code referrer sha256:…}
 * @param payload the blob, whose sha256 has been checked against the layer's digest
 * @param signature the {@code dev.cosignproject.cosign/signature} annotation (base64)
 */
public record CosignSignature(String where, byte[] payload, String signature) {}

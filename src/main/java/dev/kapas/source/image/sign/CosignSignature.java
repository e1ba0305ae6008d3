package dev.kapas.source.image.sign;

/**
 * One signature as cosign stores it: a layer of a signature manifest whose blob is the signed
 * payload (simple signing JSON) and whose annotation carries the signature.
 *
 * @param where where it was found, for messages: {@code tag sha256-….sig} or {@code referrer sha256:…}
 * @param payload the blob, whose sha256 has been checked against the layer's digest
 * @param signature the {@code dev.cosignproject.cosign/signature} annotation (base64)
 * @param certificate keyless: the signing certificate ({@code dev.sigstore.cosign/certificate}, PEM), else empty
 * @param chain keyless: the certificates up to the root ({@code dev.sigstore.cosign/chain}, PEM), else empty
 * @param bundle keyless: the transparency-log entry and its signed timestamp ({@code dev.sigstore.cosign/bundle}), else empty
 * @param timestamp keyless: the RFC 3161 timestamp of the signature ({@code dev.sigstore.cosign/rfc3161timestamp},
 *     JSON {@code {"SignedRFC3161Timestamp": "<base64 DER>"}}, as {@code cosign sign --tsa-server-url} writes), else empty
 */
public record CosignSignature(String where, byte[] payload, String signature, String certificate, String chain,
    String bundle, String timestamp) {
  public CosignSignature(String where, byte[] payload, String signature) {
    this(where, payload, signature, "", "", "", "");
  }

  public CosignSignature(String where, byte[] payload, String signature, String certificate, String chain,
      String bundle) {
    this(where, payload, signature, certificate, chain, bundle, "");
  }
}

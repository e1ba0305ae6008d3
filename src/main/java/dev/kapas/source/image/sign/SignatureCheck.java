package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Judges cosign signatures as {@code cosign verify --key} does: the signature must verify over
 * the payload's exact bytes with one of the keys, and the payload must be a cosign simple-signing
 * document whose {@code critical.image.docker-manifest-digest} is the image's digest. A signature
 * that verifies but signs another digest (a signature copied onto another image, a tag moved after
 * signing) is as invalid as one that does not verify.
 */
public final class SignatureCheck {
  static final String PAYLOAD_TYPE = "cosign container image signature";

  private SignatureCheck() {}

  public static List<Verdict> verify(String digest, List<CosignSignature> signatures, List<TrustedKey> keys) {
    return verify(digest, signatures, keys, Optional.empty());
  }

  /** With {@code keyless}, a signature with a certificate is judged by it (the keys judge the others). */
  public static List<Verdict> verify(String digest, List<CosignSignature> signatures, List<TrustedKey> keys,
      Optional<Keyless> keyless) {
    List<Verdict> out = new ArrayList<>();
    for (CosignSignature s : signatures) {
      out.add(verify(digest, s, keys, keyless));
    }
    return out;
  }

  static Verdict verify(String digest, CosignSignature s, List<TrustedKey> keys, Optional<Keyless> keyless) {
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(s.signature().strip());
    } catch (IllegalArgumentException e) {
      return new Verdict(s.where(), false, "", "the signature annotation is not base64");
    }
    String by;
    if (keyless.isPresent() && (!s.certificate().isBlank() || keys.isEmpty())) {
      Optional<String> problem = keyless.get().problem(s, signature);
      if (problem.isPresent()) {
        return new Verdict(s.where(), false, "", problem.get());
      }
      by = keyless.get().name();
    } else {
      by = keys.stream().filter(k -> k.verifies(s.payload(), signature)).map(TrustedKey::name).findFirst().orElse("");
      if (by.isEmpty()) {
        return new Verdict(s.where(), false, "", "the signature does not verify with "
            + (keys.size() == 1 ? "the key " : "any of the keys ") + String.join(", ", keys.stream()
            .map(TrustedKey::name).toList()) + " (another signer's key, or a payload changed after signing)");
      }
    }
    JsonNode payload;
    try {
      payload = SignatureFinder.read(s.payload(), "the signed payload");
    } catch (ImageError e) {
      return new Verdict(s.where(), false, by, e.getMessage());
    }
    JsonNode critical = payload.path("critical");
    String type = critical.path("type").asText();
    if (!type.equals(PAYLOAD_TYPE)) {
      return new Verdict(s.where(), false, by, "the signed payload's critical.type is `" + type + "`, not `"
          + PAYLOAD_TYPE + "`");
    }
    String signed = critical.path("image").path("docker-manifest-digest").asText();
    if (!signed.equals(digest)) {
      return new Verdict(s.where(), false, by, "it signs " + (signed.isEmpty() ? "no digest" : "another image, "
          + signed) + ", not this image's digest " + digest);
    }
    return new Verdict(s.where(), true, by, "");
  }
}

package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Judges in-toto attestations as {@code cosign verify-attestation --key --type} does: the DSSE
 * envelope's signature verifies over the pre-authentication encoding (PAE) of its payload type
 * and payload with one of the keys, the payload is an in-toto statement whose subject carries
 * the image's sha256, and its predicate type is the one asked for. For SLSA provenance a
 * non-empty builder allow-list must also name the builder ({@code predicate.builder.id} in v0.2,
 * {@code predicate.runDetails.builder.id} in v1).
 */
public final class AttestationCheck {
  static final String IN_TOTO = "application/vnd.in-toto+json";

  private AttestationCheck() {}

  /** The verdicts on the envelopes that claim {@code predicateType} (read before they are trusted: to pick them). */
  public static List<Verdict> verify(String digest, List<CosignSignature> envelopes, List<TrustedKey> keys,
      String predicateType, List<String> builders) {
    List<Verdict> out = new ArrayList<>();
    for (CosignSignature e : envelopes) {
      try {
        JsonNode envelope = SignatureFinder.read(e.payload(), "the DSSE envelope");
        String type = envelope.path("payloadType").asText();
        byte[] body = Base64.getDecoder().decode(envelope.path("payload").asText());
        JsonNode statement = SignatureFinder.read(body, "the in-toto statement");
        if (!statement.path("predicateType").asText().equals(predicateType)) {
          continue;
        }
        out.add(verdict(e.where(), digest, envelope, type, body, statement, keys, builders));
      } catch (ImageError | IllegalArgumentException ex) {
        out.add(new Verdict(e.where(), false, "", "the envelope is malformed: " + ex.getMessage()));
      }
    }
    return out;
  }

  private static Verdict verdict(String where, String digest, JsonNode envelope, String type, byte[] body,
      JsonNode statement, List<TrustedKey> keys, List<String> builders) {
    if (!type.equals(IN_TOTO)) {
      return new Verdict(where, false, "", "the envelope's payloadType is `" + type + "`, not " + IN_TOTO);
    }
    byte[] pae = pae(type, body);
    TrustedKey by = null;
    for (JsonNode s : envelope.path("signatures")) {
      for (TrustedKey k : keys) {
        if (by == null && k.verifies(pae, decode(s.path("sig").asText()))) {
          by = k;
        }
      }
    }
    if (by == null) {
      return new Verdict(where, false, "", "the envelope's signature does not verify with "
          + String.join(", ", keys.stream().map(TrustedKey::name).toList()));
    }
    String hex = digest.substring(digest.indexOf(':') + 1);
    boolean subject = false;
    for (JsonNode s : statement.path("subject")) {
      subject |= s.path("digest").path("sha256").asText().equals(hex);
    }
    if (!subject) {
      return new Verdict(where, false, by.name(), "the statement's subject is another image, not " + digest);
    }
    if (!builders.isEmpty() && statement.path("predicateType").asText().startsWith("https://slsa.dev/provenance/")) {
      JsonNode predicate = statement.path("predicate");
      String builder = predicate.path("builder").path("id").asText(
          predicate.path("runDetails").path("builder").path("id").asText());
      if (!builders.contains(builder)) {
        return new Verdict(where, false, by.name(), "the provenance's builder `" + builder + "` is not one of the "
            + "allowed builders (" + String.join(", ", builders) + ")");
      }
    }
    return new Verdict(where, true, by.name(), "");
  }

  /** DSSE's pre-authentication encoding: {@code DSSEv1 <len> <type> <len> <body>}. */
  static byte[] pae(String type, byte[] body) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + t.length + " " + type + " " + body.length + " ").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}

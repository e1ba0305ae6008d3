package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Judges in-toto attestations as {@code cosign verify-attestation --key --type} does: the DSSE
 * envelope's signature verifies over the pre-authentication encoding (PAE) of its payload type
 * and payload with one of the keys, the payload is an in-toto statement whose subject carries
 * the image's sha256, and its predicate type is the one asked for. For SLSA provenance a
 * non-empty builder allow-list must also name the builder ({@code predicate.builder.id} in v0.2,
 * {@code predicate.runDetails.builder.id} in v1).
 *
 * <p>Keyless ({@code cosign attest} with a Fulcio certificate, as {@code cosign verify-attestation
 * --certificate-identity --certificate-oidc-issuer} checks it): the layer's certificate, chain and
 * bundle annotations are judged by {@link Keyless} as for a signature, the certificate's key must
 * verify the envelope's signature over the PAE, and the log entry must be the {@code dsse} or
 * {@code intoto} entry of this envelope (its sha256, the payload's sha256 and this certificate).
 */
public final class AttestationCheck {
  static final String IN_TOTO = "application/vnd.in-toto+json";

  private AttestationCheck() {}

  /** The verdicts on the envelopes that claim {@code predicateType} (read before they are trusted: to pick them). */
  public static List<Verdict> verify(String digest, List<CosignSignature> envelopes, List<TrustedKey> keys,
      String predicateType, List<String> builders) {
    return verify(digest, envelopes, keys, Optional.empty(), predicateType, builders);
  }

  /** With {@code keyless}, an envelope whose layer carries a certificate is judged by it (the keys judge the others). */
  public static List<Verdict> verify(String digest, List<CosignSignature> envelopes, List<TrustedKey> keys,
      Optional<Keyless> keyless, String predicateType, List<String> builders) {
    return judge(digest, envelopes, keys, keyless, predicateType::equals, builders).stream().map(Attested::verdict)
        .toList();
  }

  /**
   * One envelope judged: its verdict and, when it could be read, its in-toto statement (to be
   * trusted only when the verdict is valid).
   */
  public record Attested(Verdict verdict, String predicateType, Optional<JsonNode> statement) {}

  /** {@link #verify} for the envelopes whose predicate type {@code types} accepts, with their statements. */
  public static List<Attested> judge(String digest, List<CosignSignature> envelopes, List<TrustedKey> keys,
      Optional<Keyless> keyless, Predicate<String> types, List<String> builders) {
    List<Attested> out = new ArrayList<>();
    for (CosignSignature e : envelopes) {
      try {
        JsonNode envelope = SignatureFinder.read(e.payload(), "the DSSE envelope");
        String type = envelope.path("payloadType").asText();
        byte[] body = Base64.getDecoder().decode(envelope.path("payload").asText());
        JsonNode statement = SignatureFinder.read(body, "the in-toto statement");
        String predicateType = statement.path("predicateType").asText();
        if (!types.test(predicateType)) {
          continue;
        }
        out.add(new Attested(verdict(e, digest, envelope, type, body, statement, keys, keyless, builders),
            predicateType, Optional.of(statement)));
      } catch (ImageError | IllegalArgumentException ex) {
        out.add(new Attested(new Verdict(e.where(), false, "", "the envelope is malformed: " + ex.getMessage()), "",
            Optional.empty()));
      }
    }
    return out;
  }

  private static Verdict verdict(CosignSignature e, String digest, JsonNode envelope, String type, byte[] body,
      JsonNode statement, List<TrustedKey> keys, Optional<Keyless> keyless, List<String> builders) {
    String where = e.where();
    if (!type.equals(IN_TOTO)) {
      return new Verdict(where, false, "", "the envelope's payloadType is `" + type + "`, not " + IN_TOTO);
    }
    byte[] pae = pae(type, body);
    boolean byCertificate = keyless.isPresent() && (!e.certificate().isBlank() || keys.isEmpty());
    String by = "";
    String problem = "";
    for (JsonNode s : envelope.path("signatures")) {
      byte[] sig = decode(s.path("sig").asText());
      if (byCertificate) {
        Optional<String> p = keyless.get().problem(e, pae, sig,
            (entry, leaf) -> intotoProblem(entry, e.payload(), body, leaf));
        if (p.isEmpty()) {
          by = keyless.get().name();
          break;
        }
        problem = problem.isEmpty() ? p.get() : problem;
      } else {
        by = keys.stream().filter(k -> k.verifies(pae, sig)).map(TrustedKey::name).findFirst().orElse("");
        if (!by.isEmpty()) {
          break;
        }
      }
    }
    if (by.isEmpty()) {
      return new Verdict(where, false, "", envelope.path("signatures").isEmpty() ? "the envelope carries no signature"
          : !problem.isEmpty() ? problem : "the envelope's signature does not verify with "
          + String.join(", ", keys.stream().map(TrustedKey::name).toList()));
    }
    String hex = digest.substring(digest.indexOf(':') + 1);
    boolean subject = false;
    for (JsonNode s : statement.path("subject")) {
      subject |= s.path("digest").path("sha256").asText().equals(hex);
    }
    if (!subject) {
      return new Verdict(where, false, by, "the statement's subject is another image, not " + digest);
    }
    Optional<String> builder = builderProblem(statement, builders);
    return new Verdict(where, builder.isEmpty(), by, builder.orElse(""));
  }

  /**
   * Why the SLSA provenance in {@code statement} names no builder of a non-empty allow-list
   * ({@code predicate.builder.id} in v0.2, {@code predicate.runDetails.builder.id} in v1); empty
   * for other predicates and when it does.
   */
  static Optional<String> builderProblem(JsonNode statement, List<String> builders) {
    if (builders.isEmpty() || !statement.path("predicateType").asText().startsWith("https://slsa.dev/provenance/")) {
      return Optional.empty();
    }
    JsonNode predicate = statement.path("predicate");
    String builder = predicate.path("builder").path("id").asText(
        predicate.path("runDetails").path("builder").path("id").asText());
    return builders.contains(builder) ? Optional.empty() : Optional.of("the provenance's builder `" + builder
        + "` is not one of the allowed builders (" + String.join(", ", builders) + ")");
  }

  /**
   * The log entry {@code cosign attest} makes for a keyless envelope: a {@code dsse} entry (the
   * default since cosign 2.4) whose {@code envelopeHash} is the sha256 of the envelope as stored,
   * or an {@code intoto} entry (v0.0.1 or v0.0.2; {@code --rekor-entry-type intoto}) whose {@code
   * content.hash} is; its payload hash (when given) must be the sha256 of the statement, and its
   * public key (or a signature's verifier) the signing certificate.
   */
  static Optional<String> intotoProblem(String entryBase64, byte[] envelope, byte[] statement, X509Certificate leaf) {
    JsonNode entry;
    try {
      entry = SignatureFinder.read(Base64.getDecoder().decode(entryBase64), "the log entry");
    } catch (ImageError | IllegalArgumentException ex) {
      return Optional.of("the log entry in the bundle is malformed");
    }
    JsonNode spec = entry.path("spec");
    String kind = entry.path("kind").asText();
    JsonNode hashes;
    List<String> keys = new ArrayList<>();
    if (kind.equals("dsse")) {
      hashes = spec;
      spec.path("signatures").forEach(s -> keys.add(s.path("verifier").asText()));
    } else if (kind.equals("intoto")) {
      hashes = spec.path("content");
      keys.add(spec.path("publicKey").asText());
      hashes.path("envelope").path("signatures").forEach(s -> keys.add(s.path("publicKey").asText()));
    } else {
      return Optional.of("the log entry is a `" + kind + "` entry, not the dsse or intoto entry of an attestation");
    }
    String hash = hashes.path(kind.equals("dsse") ? "envelopeHash" : "hash").path("value").asText();
    if (!hash.equals(SignatureFinder.sha256(envelope).substring(7))) {
      return Optional.of("the log entry is for another envelope (sha256 " + hash + ")");
    }
    String payloadHash = hashes.path("payloadHash").path("value").asText();
    if (!payloadHash.isEmpty() && !payloadHash.equals(SignatureFinder.sha256(statement).substring(7))) {
      return Optional.of("the log entry is for another statement (sha256 " + payloadHash + ")");
    }
    for (String k : keys) {
      try {
        Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
            Base64.getDecoder().decode(k)));
        if (c.equals(leaf)) {
          return Optional.empty();
        }
      } catch (GeneralSecurityException | IllegalArgumentException ex) {
        // not this one
      }
    }
    return Optional.of("the log entry records another signing certificate");
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

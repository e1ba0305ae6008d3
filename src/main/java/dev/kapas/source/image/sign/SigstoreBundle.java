package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle ({@code application/vnd.dev.sigstore.bundle}, v0.1 to v0.3), verified offline
 * as {@code cosign verify --new-bundle-format} and sigstore-go verify one. Its content is a message
 * signature (over the sha256 of the artifact: for an image, its manifest) or a DSSE envelope (an
 * in-toto statement whose subject must carry the image's digest, signed over DSSE's
 * pre-authentication encoding; what cosign v3 signs images with, predicate type {@value
 * #SIGN_PREDICATE}).
 *
 * <p>With a public key ({@code verificationMaterial.publicKey}), the signature must verify with one
 * of the policy's keys. Keyless (a certificate, or the first of {@code x509CertificateChain}),
 * against a {@link Keyless} policy's trusted root: every RFC 3161 timestamp verifies against the
 * root's timestamp authorities ({@link Rfc3161}; as sigstore-go, those that do not are passed over,
 * but when there are timestamps one must); a transparency-log entry of a log the root has
 * records this content (kinds {@code hashedrekord} for a message signature, {@code dsse} and
 * {@code intoto} for an envelope), with a signed entry timestamp that verifies (its integrated time
 * is then a signing time) and, when there is one, an inclusion proof up to a checkpoint the log
 * signed (without a signed entry timestamp, an inclusion proof and a timestamp are needed); the
 * certificate was valid, and chains to the root's authorities, at every verified signing time
 * (there must be one); it has the policy's identity and issuer; and the signature verifies with
 * its key (ECDSA, RSA or Ed25519).
 */
public final class SigstoreBundle {
  static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle";
  /** The predicate type of a cosign v3 image signature (a DSSE bundle). */
  public static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  private static final byte[] SHA256_DIGEST_INFO = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

  private SigstoreBundle() {}

  /**
   * What a bundle came to.
   *
   * @param problem why it is not valid; empty when it is
   * @param signer what it verified with (a key's name, the keyless identity); empty when it did not
   * @param predicateType a DSSE statement's predicate type (read before it is trusted: to sort
   *     signatures from attestations); empty for a message signature
   */
  public record Checked(Optional<String> problem, String signer, String predicateType) {
    public boolean isSignature() {
      return predicateType.isEmpty() || predicateType.equals(SIGN_PREDICATE);
    }
  }

  /**
   * The in-toto statement of a DSSE bundle (empty for a message signature or an unreadable
   * bundle); to be trusted only once {@link #check} found the bundle valid.
   */
  static Optional<JsonNode> statement(byte[] bundle) {
    try {
      JsonNode envelope = SignatureFinder.read(bundle, "the Sigstore bundle").path("dsseEnvelope");
      return envelope.isMissingNode() ? Optional.empty() : Optional.of(SignatureFinder.read(
          Base64.getDecoder().decode(envelope.path("payload").asText()), "the bundle's in-toto statement"));
    } catch (ImageError | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Why {@code bundle} is not a valid keyless signature of the sha256 {@code digest} under {@code keyless}, or empty. */
  public static Optional<String> problem(byte[] bundle, byte[] digest, Keyless keyless) {
    return check(bundle, "sha256:" + HexFormat.of().formatHex(digest), Optional.empty(), List.of(),
        Optional.of(keyless)).problem();
  }

  /** The signed content: the bytes the signature is over (or their sha256, {@code digest}) and what the log must record. */
  private record Content(boolean envelope, byte[] signature, byte[] digest, Optional<byte[]> message, byte[] payload) {
    /** Whether {@code key} verifies the signature over the content. */
    Optional<String> verifyProblem(PublicKey key) {
      if (message.isPresent()) {
        return new TrustedKey("", key).verifies(message.get(), signature) ? Optional.empty()
            : Optional.of("the signature does not verify with the key");
      }
      try {
        Signature v;
        byte[] input = digest;
        switch (key.getAlgorithm()) {
          case "EC" -> v = Signature.getInstance("NONEwithECDSA");
          case "RSA" -> {
            v = Signature.getInstance("NONEwithRSA");
            input = concat(SHA256_DIGEST_INFO, digest);
          }
          default -> {
            return Optional.of("an Ed25519 signature over a message can only be verified with the message "
                + "itself, which is not at hand");
          }
        }
        v.initVerify(key);
        v.update(input);
        if (v.verify(signature)) {
          return Optional.empty();
        }
      } catch (GeneralSecurityException e) {
        // not verified
      }
      return Optional.of("the signature does not verify with the key");
    }
  }

  /**
   * Judges {@code bundle} as a signature of the image {@code digest} ({@code sha256:<hex>}): with
   * {@code artifact}, the image manifest's bytes (a message signature by an Ed25519 key needs them).
   */
  public static Checked check(byte[] bundle, String digest, Optional<byte[]> artifact, List<TrustedKey> keys,
      Optional<Keyless> keyless) {
    JsonNode b;
    try {
      b = SignatureFinder.read(bundle, "the Sigstore bundle");
    } catch (ImageError e) {
      return new Checked(Optional.of(e.getMessage()), "", "");
    }
    if (!b.path("mediaType").asText().startsWith(MEDIA_TYPE)) {
      return new Checked(Optional.of("its mediaType `" + b.path("mediaType").asText() + "` is not a Sigstore bundle's"),
          "", "");
    }
    byte[] want = HexFormat.of().parseHex(digest.substring(digest.indexOf(':') + 1));
    Content content;
    String predicateType = "";
    try {
      JsonNode message = b.path("messageSignature");
      JsonNode envelope = b.path("dsseEnvelope");
      if (!message.isMissingNode()) {
        String algorithm = message.path("messageDigest").path("algorithm").asText("SHA2_256");
        if (!Arrays.equals(Base64.getDecoder().decode(message.path("messageDigest").path("digest").asText()), want)
            || !algorithm.equals("SHA2_256")) {
          return new Checked(Optional.of("it signs another digest, not " + digest), "", "");
        }
        content = new Content(false, Base64.getDecoder().decode(message.path("signature").asText()), want,
            artifact.filter(a -> Arrays.equals(sha256(a), want)), new byte[0]);
      } else if (!envelope.isMissingNode()) {
        String type = envelope.path("payloadType").asText();
        byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        JsonNode statement = SignatureFinder.read(payload, "the bundle's in-toto statement");
        predicateType = statement.path("predicateType").asText();
        if (!type.equals(AttestationCheck.IN_TOTO)) {
          return new Checked(Optional.of("its envelope's payloadType is `" + type + "`, not "
              + AttestationCheck.IN_TOTO), "", predicateType);
        }
        if (envelope.path("signatures").size() != 1) {
          return new Checked(Optional.of("its envelope has " + envelope.path("signatures").size()
              + " signatures, not one"), "", predicateType);
        }
        content = new Content(true, Base64.getDecoder().decode(envelope.path("signatures").path(0).path("sig").asText()),
            sha256(payload), Optional.of(AttestationCheck.pae(type, payload)), payload);
        boolean subject = false;
        for (JsonNode s : statement.path("subject")) {
          subject |= s.path("digest").path("sha256").asText().equals(HexFormat.of().formatHex(want));
        }
        if (!subject) {
          return new Checked(Optional.of("its statement's subject is another artifact, not " + digest), "",
              predicateType);
        }
      } else {
        return new Checked(Optional.of("it carries neither a message signature nor a DSSE envelope"), "", "");
      }
    } catch (ImageError | IllegalArgumentException e) {
      return new Checked(Optional.of("its signature or envelope is malformed"), "", predicateType);
    }
    JsonNode material = b.path("verificationMaterial");
    String der = material.path("certificate").path("rawBytes").asText(
        material.path("x509CertificateChain").path("certificates").path(0).path("rawBytes").asText());
    if (der.isEmpty()) {
      return withKeys(content, keys, predicateType);
    }
    if (keyless.isEmpty()) {
      return new Checked(Optional.of("it is keyless (it carries a certificate), and the policy names no keyless "
          + "identity"), "", predicateType);
    }
    Optional<String> problem = keylessProblem(material, der, content, keyless.get());
    return new Checked(problem, problem.isPresent() ? "" : keyless.get().name(), predicateType);
  }

  /** A bundle with a public key (its hint names it; any key of the policy's that verifies will do). */
  private static Checked withKeys(Content content, List<TrustedKey> keys, String predicateType) {
    if (keys.isEmpty()) {
      return new Checked(Optional.of("it is signed with a key, and the policy names no key"), "", predicateType);
    }
    for (TrustedKey k : keys) {
      if (content.verifyProblem(k.key()).isEmpty()) {
        return new Checked(Optional.empty(), k.name(), predicateType);
      }
    }
    return new Checked(Optional.of("the signature does not verify with " + (keys.size() == 1 ? "the key " : "any of "
        + "the keys ") + String.join(", ", keys.stream().map(TrustedKey::name).toList())), "", predicateType);
  }

  private static Optional<String> keylessProblem(JsonNode material, String der, Content content, Keyless keyless) {
    X509Certificate leaf;
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      leaf = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(der)));
      chain.add(leaf);
      JsonNode rest = material.path("x509CertificateChain").path("certificates");
      for (int i = 1; i < rest.size(); i++) {
        chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
            Base64.getDecoder().decode(rest.get(i).path("rawBytes").asText()))));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("its certificate is malformed");
    }
    List<Instant> times = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    JsonNode stamps = material.path("timestampVerificationData").path("rfc3161Timestamps");
    for (int i = 0; i < stamps.size(); i++) {
      Rfc3161.Result r;
      try {
        r = Rfc3161.verify(Base64.getDecoder().decode(stamps.get(i).path("signedTimestamp").asText()),
            content.signature(), keyless.root());
      } catch (IllegalArgumentException e) {
        r = Rfc3161.Result.fail("the timestamp is not base64");
      }
      r.time().ifPresent(times::add);
      if (r.time().isEmpty()) {
        refused.add("RFC 3161 timestamp " + (i + 1) + ": " + r.problem());
      }
    }
    // as sigstore-go: a timestamp that does not verify is passed over, but one of them must
    if (!stamps.isEmpty() && times.isEmpty()) {
      return Optional.of(String.join("; ", refused));
    }
    Optional<String> last = Optional.of("it has no transparency-log entry, so its time cannot be proven offline");
    boolean logged = false;
    for (JsonNode entry : material.path("tlogEntries")) {
      List<Instant> integrated = new ArrayList<>();
      last = entryProblem(entry, content, keyless, !times.isEmpty(), integrated);
      if (last.isEmpty()) {
        times.addAll(integrated);
        logged = true;
        break;
      }
    }
    if (!logged) {
      return last;
    }
    java.util.Map<Instant, String> at = new java.util.LinkedHashMap<>();
    times.forEach(t -> at.put(t, "the signing time"));
    Optional<String> valid = keyless.validityProblem(leaf, chain, at);
    if (valid.isPresent()) {
      return valid;
    }
    Optional<String> identity = keyless.identityProblem(leaf);
    if (identity.isPresent()) {
      return identity;
    }
    return content.verifyProblem(leaf.getPublicKey()).map(p -> p.replace("the key", "the certificate's key"));
  }

  /**
   * Why {@code entry} does not prove {@code content} logged; its integrated time, when a signed
   * entry timestamp vouches for it, is added to {@code times}. Without a SET, an inclusion proof
   * will do when the bundle has a verified timestamp ({@code stamped}).
   */
  private static Optional<String> entryProblem(JsonNode entry, Content content, Keyless keyless, boolean stamped,
      List<Instant> times) {
    byte[] id;
    byte[] body;
    try {
      id = Base64.getDecoder().decode(entry.path("logId").path("keyId").asText());
      body = Base64.getDecoder().decode(entry.path("canonicalizedBody").asText());
    } catch (IllegalArgumentException e) {
      return Optional.of("the log entry is malformed");
    }
    Optional<TrustedRoot.Log> log = keyless.log(id);
    if (log.isEmpty()) {
      return Optional.of("the log entry is in a log the trusted root " + keyless.root().name() + " does not have");
    }
    String set = entry.path("inclusionPromise").path("signedEntryTimestamp").asText();
    JsonNode proof = entry.path("inclusionProof");
    if (set.isEmpty() && !(stamped && !proof.isMissingNode())) {
      return Optional.of("the log entry has no signed entry timestamp"
          + (stamped ? " or inclusion proof" : " and the bundle no timestamp") + ", so its time cannot be proven offline");
    }
    if (!set.isEmpty()) {
      long time = entry.path("integratedTime").asLong(-1);
      Optional<String> promise = keyless.setProblem(entry.path("canonicalizedBody").asText(), time,
          HexFormat.of().formatHex(id), entry.path("logIndex").asLong(), set);
      if (promise.isPresent()) {
        return promise;
      }
      times.add(Instant.ofEpochSecond(time));
    }
    if (!proof.isMissingNode()) {
      try {
        List<byte[]> path = new ArrayList<>();
        proof.path("hashes").forEach(h -> path.add(Base64.getDecoder().decode(h.asText())));
        byte[] root = Base64.getDecoder().decode(proof.path("rootHash").asText());
        long size = proof.path("treeSize").asLong();
        Optional<String> included = LogProof.inclusionProblem(body, proof.path("logIndex").asLong(), size, root, path);
        if (included.isPresent()) {
          return included;
        }
        Optional<String> checkpoint = LogProof.checkpointProblem(proof.path("checkpoint").path("envelope").asText(),
            size, root, id, log.get().key());
        if (checkpoint.isPresent()) {
          return checkpoint;
        }
      } catch (IllegalArgumentException e) {
        return Optional.of("the inclusion proof is malformed");
      }
    }
    return recordedProblem(body, content);
  }

  /**
   * The log entry records this content: a {@code hashedrekord} (v0.0.1, or v0.0.2 of Rekor v2) the
   * digest and signature of a message signature; a {@code dsse} (v0.0.1, v0.0.2) or {@code intoto}
   * (v0.0.2, whose signature is base64 twice) the payload's sha256 and the envelope's one signature.
   */
  private static Optional<String> recordedProblem(byte[] body, Content content) {
    try {
      JsonNode e = SignatureFinder.read(body, "the log entry");
      String kind = e.path("kind").asText();
      String version = e.path("apiVersion").asText();
      JsonNode spec = e.path("spec");
      boolean envelopeKind = kind.equals("dsse") || kind.equals("intoto");
      if (envelopeKind != content.envelope() || !(envelopeKind || kind.equals("hashedrekord"))) {
        return Optional.of("the log entry is a " + kind + " entry, not one for a "
            + (content.envelope() ? "DSSE envelope" : "message signature"));
      }
      byte[] hash;
      List<JsonNode> sigs = new ArrayList<>();
      String sigField;
      switch (kind + " " + version) {
        case "hashedrekord 0.0.1" -> {
          return Keyless.bodyProblem(Base64.getEncoder().encodeToString(body), HexFormat.of().formatHex(content.digest()),
              content.signature());
        }
        case "hashedrekord 0.0.2" -> {
          JsonNode h = spec.path("hashedRekordV002");
          hash = Base64.getDecoder().decode(h.path("data").path("digest").asText());
          sigs.add(h.path("signature"));
          sigField = "content";
        }
        case "dsse 0.0.1" -> {
          hash = HexFormat.of().parseHex(spec.path("payloadHash").path("value").asText());
          spec.path("signatures").forEach(sigs::add);
          sigField = "signature";
        }
        case "dsse 0.0.2" -> {
          JsonNode d = spec.path("dsseV002");
          hash = Base64.getDecoder().decode(d.path("payloadHash").path("digest").asText());
          d.path("signatures").forEach(sigs::add);
          sigField = "content";
        }
        case "intoto 0.0.2" -> {
          JsonNode c = spec.path("content");
          hash = HexFormat.of().parseHex(c.path("payloadHash").path("value").asText());
          c.path("envelope").path("signatures").forEach(sigs::add);
          sigField = "sig";
        }
        default -> {
          return Optional.of("the log entry's kind " + kind + " v" + version + " is not supported");
        }
      }
      if (!Arrays.equals(hash, content.digest())) {
        return Optional.of("the log entry is for another " + (content.envelope() ? "payload" : "digest"));
      }
      if (sigs.size() != 1) {
        return Optional.of("the log entry records " + sigs.size() + " signatures, not one");
      }
      byte[] recorded = Base64.getDecoder().decode(sigs.get(0).path(sigField).asText());
      if (kind.equals("intoto")) {
        recorded = Base64.getDecoder().decode(new String(recorded, StandardCharsets.US_ASCII));
      }
      return Arrays.equals(recorded, content.signature()) ? Optional.empty()
          : Optional.of("the log entry records another signature");
    } catch (ImageError | IllegalArgumentException ex) {
      return Optional.of("the log entry in the bundle is malformed");
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keyless signatures as {@code cosign verify --certificate-identity --certificate-oidc-issuer}
 * checks them, offline against a {@link TrustedRoot}: the signing certificate chains to one of
 * the root's certificate authorities (Fulcio) and was valid at the time the transparency log
 * recorded the signature; its identity (an email or URI subject alternative name) and the OIDC
 * issuer it records (Fulcio's extension 1.3.6.1.4.1.57264.1.8, or the older .1.1) meet the
 * constraints; the signature verifies with its key; and the log entry in the bundle is for this
 * payload and signature, with a signed entry timestamp (SET) that verifies with the log's key.
 * An RFC 3161 timestamp of the signature ({@code cosign sign --tsa-server-url}) must verify against
 * the root's timestamp authorities, and its time counts as a signing time too; with it, the
 * certificate may be judged without a log bundle ({@code --tlog-upload=false}), as cosign does.
 *
 * @param subject exact identity, or empty
 * @param subjectRegExp identity pattern (whole match), or empty
 * @param issuer exact OIDC issuer, or empty
 * @param issuerRegExp issuer pattern (whole match), or empty
 */
public record Keyless(TrustedRoot root, String subject, Optional<Pattern> subjectRegExp, String issuer,
    Optional<Pattern> issuerRegExp) {
  private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";

  /** How findings name it: {@code keyless <identity> from <issuer> (root file)}. */
  public String name() {
    return "keyless " + subjectRegExp.map(Pattern::pattern).orElse(subject) + " from "
        + issuerRegExp.map(Pattern::pattern).orElse(issuer) + " (" + root.name() + ")";
  }

  /** Why {@code s} is not a valid keyless signature of {@code payload}, or empty when it is. */
  Optional<String> problem(CosignSignature s, byte[] signature) {
    return problem(s, s.payload(), signature,
        (body, leaf) -> bodyProblem(body, SignatureFinder.sha256(s.payload()).substring(7), signature));
  }

  /** Whether a log entry's body (base64) records what was signed, by the certificate {@code leaf}. */
  interface Recorded {
    Optional<String> problem(String body, X509Certificate leaf);
  }

  /**
   * Why {@code signature} over {@code signed} is not a valid keyless signature by the certificate,
   * chain and bundle of {@code s}, or empty when it is; {@code recorded} judges the log entry's
   * body (a hashedrekord for a signature, an intoto entry for an attestation).
   */
  Optional<String> problem(CosignSignature s, byte[] signed, byte[] signature, Recorded recorded) {
    if (s.certificate().isBlank()) {
      return Optional.of("it carries no certificate (signed with a key, not keyless)");
    }
    X509Certificate leaf;
    List<X509Certificate> chain;
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      leaf = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
          s.certificate().getBytes(StandardCharsets.US_ASCII)));
      chain = new ArrayList<>();
      chain.add(leaf);
      if (!s.chain().isBlank()) {
        x509.generateCertificates(new ByteArrayInputStream(s.chain().getBytes(StandardCharsets.US_ASCII)))
            .forEach(c -> chain.add((X509Certificate) c));
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("its certificate is not a PEM X.509 certificate");
    }
    Map<Instant, String> times = new LinkedHashMap<>();
    if (!s.timestamp().isBlank()) {
      // as cosign: over the signature's bytes; an attestation layer has no signature annotation,
      // and its timestamp is over the layer's payload, the DSSE envelope
      Rfc3161.Result stamp = timestamp(s.timestamp(), s.signature().isBlank() ? s.payload() : signature);
      if (stamp.time().isEmpty()) {
        return Optional.of("its RFC 3161 timestamp does not verify against " + root.name() + ": " + stamp.problem());
      }
      times.put(stamp.time().get(), "the timestamp's time");
    }
    if (s.bundle().isBlank() && times.isEmpty()) {
      return Optional.of("it carries neither a transparency-log bundle nor an RFC 3161 timestamp, so its time cannot "
          + "be proven offline");
    }
    if (!s.bundle().isBlank()) {
      JsonNode bundle;
      try {
        bundle = SignatureFinder.read(s.bundle().getBytes(StandardCharsets.UTF_8), "the bundle");
      } catch (ImageError e) {
        return Optional.of(e.getMessage());
      }
      JsonNode entry = bundle.path("Payload");
      Optional<String> set = setProblem(bundle, entry);
      if (set.isPresent()) {
        return set;
      }
      Optional<String> body = recorded.problem(entry.path("body").asText(), leaf);
      if (body.isPresent()) {
        return body;
      }
      times.putIfAbsent(Instant.ofEpochSecond(entry.path("integratedTime").asLong(-1)), "the log time");
    }
    Optional<String> valid = validityProblem(leaf, chain, times);
    if (valid.isPresent()) {
      return valid;
    }
    Optional<String> identity = identityProblem(leaf);
    if (identity.isPresent()) {
      return identity;
    }
    try {
      java.security.Signature v = java.security.Signature.getInstance(
          leaf.getPublicKey().getAlgorithm().equals("RSA") ? "SHA256withRSA"
              : leaf.getPublicKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519");
      v.initVerify(leaf.getPublicKey());
      v.update(signed);
      if (!v.verify(signature)) {
        return Optional.of("the signature does not verify with the certificate's key");
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("the signature does not verify with the certificate's key");
    }
    return Optional.empty();
  }

  /** The SET of the bundle cosign attaches ({@code Payload}, {@code SignedEntryTimestamp}). */
  private Optional<String> setProblem(JsonNode bundle, JsonNode entry) {
    return setProblem(entry.path("body").asText(), entry.path("integratedTime").asLong(), entry.path("logID").asText(),
        entry.path("logIndex").asLong(), bundle.path("SignedEntryTimestamp").asText());
  }

  /** The SET: the log's signature over the canonical JSON of the entry (body, integratedTime, logID, logIndex). */
  Optional<String> setProblem(String body, long time, String logId, long index, String set) {
    byte[] id;
    try {
      id = java.util.HexFormat.of().parseHex(logId);
    } catch (IllegalArgumentException e) {
      return Optional.of("the bundle's logID is not hex");
    }
    Optional<TrustedRoot.Log> log = log(id);
    if (log.isEmpty()) {
      return Optional.of("the bundle names log " + logId + ", which the trusted root " + root.name() + " does not have");
    }
    String canonical = "{\"body\":" + quote(body) + ",\"integratedTime\":" + time + ",\"logID\":" + quote(logId)
        + ",\"logIndex\":" + index + "}";
    try {
      if (LogProof.verifies(log.get().key(), canonical.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(set))) {
        return Optional.empty();
      }
    } catch (IllegalArgumentException e) {
      // falls through: not verified
    }
    return Optional.of("the transparency log's signed entry timestamp does not verify with the log key of "
        + root.name());
  }

  /** The trusted root's log with this ID. */
  Optional<TrustedRoot.Log> log(byte[] id) {
    return root.logs().stream().filter(l -> Arrays.equals(l.keyId(), id)).findFirst();
  }

  /** The log entry must be a hashedrekord of this sha256 ({@code want}, hex) and this signature. */
  static Optional<String> bodyProblem(String body, String want, byte[] signature) {
    try {
      JsonNode e = SignatureFinder.read(Base64.getDecoder().decode(body), "the log entry");
      JsonNode spec = e.path("spec");
      String hash = spec.path("data").path("hash").path("value").asText();
      if (!hash.equals(want)) {
        return Optional.of("the log entry is for another payload (sha256 " + hash + ")");
      }
      if (!Arrays.equals(Base64.getDecoder().decode(spec.path("signature").path("content").asText()), signature)) {
        return Optional.of("the log entry records another signature");
      }
      return Optional.empty();
    } catch (ImageError | IllegalArgumentException ex) {
      return Optional.of("the log entry in the bundle is malformed");
    }
  }

  /**
   * cosign's classic timestamp annotation ({@code {"SignedRFC3161Timestamp": "<base64 DER>"}})
   * verified against the root's timestamp authorities, over {@code stamped}.
   */
  private Rfc3161.Result timestamp(String annotation, byte[] stamped) {
    try {
      String der = SignatureFinder.read(annotation.getBytes(StandardCharsets.UTF_8), "the RFC 3161 timestamp annotation")
          .path("SignedRFC3161Timestamp").asText();
      if (der.isEmpty()) {
        return Rfc3161.Result.fail("the annotation has no SignedRFC3161Timestamp");
      }
      return Rfc3161.verify(Base64.getDecoder().decode(der), stamped, root);
    } catch (ImageError e) {
      return Rfc3161.Result.fail(e.getMessage());
    } catch (IllegalArgumentException e) {
      return Rfc3161.Result.fail("its SignedRFC3161Timestamp is not base64");
    }
  }

  /**
   * Why the certificate was not valid, or did not chain to a certificate authority of the root,
   * at one of the verified signing {@code times} (each with what it is, for the message), or empty.
   */
  Optional<String> validityProblem(X509Certificate leaf, List<X509Certificate> chain, Map<Instant, String> times) {
    for (Map.Entry<Instant, String> t : times.entrySet()) {
      Date at = Date.from(t.getKey());
      if (at.before(leaf.getNotBefore()) || at.after(leaf.getNotAfter())) {
        return Optional.of("the certificate (valid " + leaf.getNotBefore().toInstant() + " to "
            + leaf.getNotAfter().toInstant() + ") was not valid at " + t.getValue() + " " + t.getKey());
      }
      Optional<String> path = chainProblem(chain, at, t.getValue());
      if (path.isPresent()) {
        return path;
      }
    }
    return Optional.empty();
  }

  private Optional<String> chainProblem(List<X509Certificate> chain, Date at, String what) {
    for (List<X509Certificate> ca : root.authorities()) {
      try {
        Set<TrustAnchor> anchors = new HashSet<>();
        anchors.add(new TrustAnchor(ca.get(ca.size() - 1), null));
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
          if (!c.equals(ca.get(ca.size() - 1))) {
            path.add(c);
          }
        }
        for (X509Certificate c : ca.subList(0, ca.size() - 1)) {
          if (!path.contains(c)) {
            path.add(c);
          }
        }
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        params.setDate(at);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
            params);
        return Optional.empty();
      } catch (GeneralSecurityException e) {
        // not this authority
      }
    }
    return Optional.of("the certificate does not chain to a certificate authority of " + root.name()
        + " at " + what);
  }

  Optional<String> identityProblem(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      if (leaf.getSubjectAlternativeNames() != null) {
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
          int type = (Integer) san.get(0);
          if (type == 1 || type == 6) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("the certificate's subject alternative names are malformed");
    }
    boolean identity = names.stream().anyMatch(n -> (subject.isEmpty() || n.equals(subject))
        && subjectRegExp.map(p -> p.matcher(n).matches()).orElse(true));
    if (!identity) {
      return Optional.of("the certificate's identity " + names + " is not " + subjectRegExp.map(p -> "matched by "
          + p.pattern()).orElse(subject));
    }
    String got = issuerOf(leaf);
    if (!(issuer.isEmpty() || got.equals(issuer)) || !issuerRegExp.map(p -> p.matcher(got).matches()).orElse(true)) {
      return Optional.of("the certificate's OIDC issuer `" + got + "` is not " + issuerRegExp.map(p -> "matched by "
          + p.pattern()).orElse(issuer));
    }
    return Optional.empty();
  }

  /** Fulcio's issuer extension: .1.8 holds a DER UTF8String, the older .1.1 the raw string. */
  static String issuerOf(X509Certificate c) {
    byte[] v2 = c.getExtensionValue(ISSUER_V2);
    if (v2 != null) {
      return new String(contents(contents(v2)), StandardCharsets.UTF_8);
    }
    byte[] v1 = c.getExtensionValue(ISSUER_V1);
    return v1 == null ? "" : new String(contents(v1), StandardCharsets.UTF_8);
  }

  /** The contents of one DER TLV (short or long length). */
  private static byte[] contents(byte[] der) {
    if (der.length < 2) {
      return new byte[0];
    }
    int len = der[1] & 0xff;
    int at = 2;
    if (len > 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n && at < der.length; i++) {
        len = (len << 8) | (der[at++] & 0xff);
      }
    }
    return Arrays.copyOfRange(der, Math.min(at, der.length), Math.min(at + len, der.length));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

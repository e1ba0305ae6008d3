package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle ({@code application/vnd.dev.sigstore.bundle}, v0.1 to v0.3) with a message
 * signature, verified offline against a {@link Keyless} policy's trusted root as {@code cosign
 * verify-blob --bundle} does: the signing certificate ({@code certificate}, or the first of
 * {@code x509CertificateChain}); a transparency-log entry of a log the root has, whose signed
 * entry timestamp (the inclusion promise) verifies and gives the time of signing, and whose
 * inclusion proof, when there is one, leads from the entry to the root hash of a checkpoint the
 * log signed; the entry records this digest and signature; the certificate chains to the root's
 * authorities and was valid at that time, with the policy's identity and issuer; and the
 * signature verifies with the certificate's key over the digest.
 */
public final class SigstoreBundle {
  static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle";

  private SigstoreBundle() {}

  /** Why {@code bundle} is not a valid keyless signature of the sha256 {@code digest} under {@code keyless}, or empty. */
  public static Optional<String> problem(byte[] bundle, byte[] digest, Keyless keyless) {
    JsonNode b;
    try {
      b = SignatureFinder.read(bundle, "the Sigstore bundle");
    } catch (ImageError e) {
      return Optional.of(e.getMessage());
    }
    if (!b.path("mediaType").asText().startsWith(MEDIA_TYPE)) {
      return Optional.of("its mediaType `" + b.path("mediaType").asText() + "` is not a Sigstore bundle's");
    }
    JsonNode material = b.path("verificationMaterial");
    String der = material.path("certificate").path("rawBytes").asText(
        material.path("x509CertificateChain").path("certificates").path(0).path("rawBytes").asText());
    if (der.isEmpty()) {
      return Optional.of("it carries no certificate (a public-key bundle, not keyless)");
    }
    JsonNode message = b.path("messageSignature");
    if (message.isMissingNode()) {
      return Optional.of("it carries no message signature (a DSSE bundle is an attestation)");
    }
    X509Certificate leaf;
    List<X509Certificate> chain = new ArrayList<>();
    byte[] signature;
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      leaf = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(der)));
      chain.add(leaf);
      JsonNode rest = material.path("x509CertificateChain").path("certificates");
      for (int i = 1; i < rest.size(); i++) {
        chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
            Base64.getDecoder().decode(rest.get(i).path("rawBytes").asText()))));
      }
      signature = Base64.getDecoder().decode(message.path("signature").asText());
      if (!Arrays.equals(Base64.getDecoder().decode(message.path("messageDigest").path("digest").asText()), digest)) {
        return Optional.of("it signs another digest, not sha256:" + HexFormat.of().formatHex(digest));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("its certificate or signature is malformed");
    }
    Optional<String> last = Optional.of("it has no transparency-log entry, so its time cannot be proven offline");
    for (JsonNode entry : material.path("tlogEntries")) {
      Optional<String> problem = entryProblem(entry, digest, signature, leaf, chain, keyless);
      if (problem.isEmpty()) {
        return problem;
      }
      last = problem;
    }
    return last;
  }

  private static Optional<String> entryProblem(JsonNode entry, byte[] digest, byte[] signature, X509Certificate leaf,
      List<X509Certificate> chain, Keyless keyless) {
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
    long time = entry.path("integratedTime").asLong(-1);
    String set = entry.path("inclusionPromise").path("signedEntryTimestamp").asText();
    if (set.isEmpty()) {
      return Optional.of("the log entry has no signed entry timestamp, so its time cannot be proven offline");
    }
    Optional<String> promise = keyless.setProblem(entry.path("canonicalizedBody").asText(), time,
        HexFormat.of().formatHex(id), entry.path("logIndex").asLong(), set);
    if (promise.isPresent()) {
      return promise;
    }
    JsonNode proof = entry.path("inclusionProof");
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
    Optional<String> recorded = Keyless.bodyProblem(entry.path("canonicalizedBody").asText(),
        HexFormat.of().formatHex(digest), signature);
    if (recorded.isPresent()) {
      return recorded;
    }
    Date at = new Date(time * 1000);
    if (at.before(leaf.getNotBefore()) || at.after(leaf.getNotAfter())) {
      return Optional.of("the certificate (valid " + leaf.getNotBefore().toInstant() + " to "
          + leaf.getNotAfter().toInstant() + ") was not valid at the log time " + at.toInstant());
    }
    Optional<String> path = keyless.chainProblem(chain, at);
    if (path.isPresent()) {
      return path;
    }
    Optional<String> identity = keyless.identityProblem(leaf);
    if (identity.isPresent()) {
      return identity;
    }
    try {
      // the signature is over the message; with its sha256 at hand, ECDSA verifies the digest as is
      Signature v = Signature.getInstance("NONEwithECDSA");
      v.initVerify(leaf.getPublicKey());
      v.update(digest);
      if (v.verify(signature)) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException e) {
      // not verified
    }
    return Optional.of("the signature does not verify with the certificate's key");
  }

}

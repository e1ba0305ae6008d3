package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore trusted root ({@code trusted_root.json}, as {@code cosign trusted-root create} or
 * the sigstore TUF repository ship it), read offline: the certificate authorities (Fulcio) whose
 * chains end in the roots keyless certificates must chain to, and the transparency logs (Rekor)
 * whose keys sign entry timestamps, by log ID (the sha256 of the key's DER), and the timestamp
 * authorities (RFC 3161) whose signed times bundles may carry.
 *
 * @param name the file as the user named it
 * @param timestampAuthorities may be empty
 */
public record TrustedRoot(String name, List<List<X509Certificate>> authorities, List<Log> logs,
    List<TimestampAuthority> timestampAuthorities) {
  /** A transparency log's key. */
  public record Log(byte[] keyId, PublicKey key) {}

  /**
   * A timestamp authority: its chain, the signing certificate first and the root last, and the
   * time its {@code validFor} allows timestamps in (either end may be open).
   */
  public record TimestampAuthority(List<X509Certificate> chain, Optional<Instant> start, Optional<Instant> end) {}

  public static TrustedRoot read(Path file, String name) throws ImageError {
    JsonNode root;
    try {
      root = SignatureFinder.read(Files.readAllBytes(file), name);
    } catch (IOException e) {
      throw new ImageError(name + ": cannot read the trusted root: " + e.getMessage());
    }
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      List<List<X509Certificate>> cas = new ArrayList<>();
      for (JsonNode ca : root.path("certificateAuthorities")) {
        List<X509Certificate> chain = chain(x509, ca);
        if (!chain.isEmpty()) {
          cas.add(chain);
        }
      }
      List<TimestampAuthority> tsas = new ArrayList<>();
      for (JsonNode tsa : root.path("timestampAuthorities")) {
        List<X509Certificate> chain = chain(x509, tsa);
        if (!chain.isEmpty()) {
          tsas.add(new TimestampAuthority(chain, instant(tsa.path("validFor").path("start")),
              instant(tsa.path("validFor").path("end"))));
        }
      }
      List<Log> logs = new ArrayList<>();
      for (JsonNode t : root.path("tlogs")) {
        byte[] der = Base64.getDecoder().decode(t.path("publicKey").path("rawBytes").asText());
        logs.add(new Log(Base64.getDecoder().decode(t.path("logId").path("keyId").asText()), TrustedKey.spki(der).orElseThrow(
            () -> new IllegalArgumentException("a tlog key is not an ECDSA, RSA or Ed25519 key"))));
      }
      if (cas.isEmpty() || logs.isEmpty()) {
        throw new ImageError(name + ": the trusted root names no " + (cas.isEmpty() ? "certificateAuthorities" : "tlogs"));
      }
      return new TrustedRoot(name, List.copyOf(cas), List.copyOf(logs), List.copyOf(tsas));
    } catch (GeneralSecurityException | IllegalArgumentException | DateTimeParseException e) {
      throw new ImageError(name + ": a certificate, key or time in the trusted root is malformed: " + e.getMessage());
    }
  }

  private static List<X509Certificate> chain(CertificateFactory x509, JsonNode authority)
      throws GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    for (JsonNode c : authority.path("certChain").path("certificates")) {
      chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
          Base64.getDecoder().decode(c.path("rawBytes").asText()))));
    }
    return List.copyOf(chain);
  }

  private static Optional<Instant> instant(JsonNode time) {
    return time.isTextual() ? Optional.of(Instant.parse(time.asText())) : Optional.empty();
  }
}

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Sigstore trusted root ({@code trusted_root.json}, as {@code cosign trusted-root create} or
 * the sigstore TUF repository ship it), read offline: the certificate authorities (Fulcio) whose
 * chains end in the roots keyless certificates must chain to, and the transparency logs (Rekor)
 * whose keys sign entry timestamps, by log ID (the sha256 of the key's DER).
 *
 * @param name the file as the user named it
 */
public record TrustedRoot(String name, List<List<X509Certificate>> authorities, List<Log> logs) {
  /** A transparency log's key. */
  public record Log(byte[] keyId, PublicKey key) {}

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
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode c : ca.path("certChain").path("certificates")) {
          chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
              Base64.getDecoder().decode(c.path("rawBytes").asText()))));
        }
        if (!chain.isEmpty()) {
          cas.add(List.copyOf(chain));
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
      return new TrustedRoot(name, List.copyOf(cas), List.copyOf(logs));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ImageError(name + ": a certificate or key in the trusted root is malformed: " + e.getMessage());
    }
  }
}

package dev.kapas.source.image.sign;

import dev.kapas.source.image.ImageError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A public key signatures are checked against, read from a PEM file ({@code PUBLIC KEY}, as
 * {@code cosign generate-key-pair} and {@code openssl pkey -pubout} write it, or a {@code
 * CERTIFICATE}, whose key is used): ECDSA (P-256, P-384, P-521), RSA or Ed25519.
 *
 * <p>Hashes as cosign: ECDSA with SHA-256 (what cosign used for every key until 2.x) or the
 * curve's own hash (SHA-384 for P-384, SHA-512 for P-521, what later releases sign with); RSA
 * PKCS#1 v1.5 with SHA-256; Ed25519 over the message itself.
 *
 * @param name how findings name it: the file as the user gave it
 */
public record TrustedKey(String name, PublicKey key) {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  /** Reads {@code file}; {@code name} is what messages call it. */
  public static TrustedKey read(Path file, String name) throws ImageError {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ImageError(name + ": cannot read the key file: " + e.getMessage());
    }
    return parse(text, name);
  }

  /** The key in PEM {@code text}; {@code name} is what messages call it. */
  public static TrustedKey parse(String text, String name) throws ImageError {
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw new ImageError(name + ": no PEM block in it; give a public key (-----BEGIN PUBLIC KEY-----), "
          + "as `cosign generate-key-pair` writes to cosign.pub");
    }
    String type = m.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new ImageError(name + ": the " + type + " PEM block is not valid base64");
    }
    if (type.equals("CERTIFICATE")) {
      try {
        return new TrustedKey(name, CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new ImageError(name + ": the CERTIFICATE block is not an X.509 certificate: " + e.getMessage());
      }
    }
    if (!type.equals("PUBLIC KEY")) {
      throw new ImageError(name + ": holds a " + type + ", not a PUBLIC KEY"
          + (type.contains("PRIVATE") ? " (give the public half, such as cosign.pub, never the private key)" : ""));
    }
    return new TrustedKey(name, spki(der).orElseThrow(() -> new ImageError(name
        + ": the PUBLIC KEY is not an ECDSA, RSA or Ed25519 key")));
  }

  /** An ECDSA, RSA or Ed25519 key from its DER SubjectPublicKeyInfo. */
  static java.util.Optional<PublicKey> spki(byte[] der) {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return java.util.Optional.of(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether {@code signature} over {@code message} verifies with this key (a malformed signature does not). */
  public boolean verifies(byte[] message, byte[] signature) {
    for (String algorithm : algorithms()) {
      try {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(message);
        if (s.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // a signature of the wrong shape for this key: it does not verify
      }
    }
    return false;
  }

  private List<String> algorithms() {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getOrder().bitLength();
      return bits > 384 ? List.of("SHA512withECDSA", "SHA256withECDSA")
          : bits > 256 ? List.of("SHA384withECDSA", "SHA256withECDSA") : List.of("SHA256withECDSA");
    }
    return key.getAlgorithm().equals("RSA") ? List.of("SHA256withRSA") : List.of("Ed25519");
  }
}

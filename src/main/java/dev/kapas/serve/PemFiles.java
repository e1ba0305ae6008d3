package dev.kapas.serve;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key from PEM files, as cert-manager, openssl and kubeadm
 * write them: the key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1
 * ({@code EC PRIVATE KEY}); encrypted keys are refused.
 */
final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  /** id-ecPublicKey, 1.2.840.10045.2.1. */
  private static final byte[] EC_OID = hex("06072a8648ce3d0201");

  private PemFiles() {}

  /** A key pair that does not load, said in one line naming the file. */
  static final class BadPem extends Exception {
    BadPem(String message) {
      super(message, null, false, false);
    }
  }

  record KeyPair(List<X509Certificate> chain, PrivateKey key) {}

  static KeyPair load(Path certFile, Path keyFile) throws BadPem {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new BadPem(keyFile + ": a " + key.getAlgorithm() + " key, but the certificate in " + certFile
          + " holds a " + chain.get(0).getPublicKey().getAlgorithm() + " key");
    }
    return new KeyPair(chain, key);
  }

  static List<X509Certificate> certificates(Path file) throws BadPem {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type.equals("CERTIFICATE")) {
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (CertificateException e) {
      throw new BadPem(file + ": not a valid certificate: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new BadPem(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    }
    return out;
  }

  static PrivateKey privateKey(Path file) throws BadPem {
    for (Block b : blocks(file)) {
      byte[] pkcs8;
      switch (b.type) {
        case "PRIVATE KEY" -> pkcs8 = b.der;
        case "RSA PRIVATE KEY" -> pkcs8 = pkcs8(RSA_ALGORITHM, b.der);
        case "EC PRIVATE KEY" -> pkcs8 = pkcs8(sequence(EC_OID, curve(file, b.der)), b.der);
        case "ENCRYPTED PRIVATE KEY" -> throw new BadPem(file + ": the private key is encrypted; give it unencrypted "
            + "(as cert-manager writes tls.key)");
        default -> {
          continue;
        }
      }
      for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
          // the next algorithm
        }
      }
      throw new BadPem(file + ": the " + b.type + " is not an RSA, EC or EdDSA key kapas can read");
    }
    throw new BadPem(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY) in it");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) throws BadPem {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new BadPem(file + ": cannot read: " + dev.kapas.source.Failures.describe(e));
    } catch (RuntimeException e) {
      throw new BadPem(file + ": not a PEM file (it is not text)");
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new BadPem(file + ": the " + m.group(1) + " block is not valid base64");
      }
    }
    return out;
  }

  /** The named curve of a SEC 1 key: its {@code [0]} parameters, an OID. */
  private static byte[] curve(Path file, byte[] sec1) throws BadPem {
    try {
      int[] outer = header(sec1, 0); // SEQUENCE
      int at = outer[0];
      int end = outer[0] + outer[1];
      while (at < end) {
        int[] h = header(sec1, at);
        if ((sec1[at] & 0xff) == 0xa0) {
          byte[] oid = new byte[h[1]];
          System.arraycopy(sec1, h[0], oid, 0, h[1]);
          return oid;
        }
        at = h[0] + h[1];
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      // falls through
    }
    throw new BadPem(file + ": the EC PRIVATE KEY names no curve");
  }

  /** {start of contents, length} of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {at + 2, first};
    }
    int n = first & 0x7f;
    int length = 0;
    for (int i = 0; i < n; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {at + 2 + n, length};
  }

  /** PrivateKeyInfo: version 0, the algorithm, the key as an OCTET STRING. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return sequence(hex("020100"), algorithm, element(0x04, key));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return element(0x30, body.toByteArray());
  }

  private static byte[] element(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = contents.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}

package dev.kapas.source.image.sign;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * cosign's private-key file ({@code cosign generate-key-pair} writes it as cosign.key): PEM type
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY} around JSON holding the scrypt parameters and salt, the
 * NaCl secretbox nonce and the ciphertext (XSalsa20-Poly1305 over the PKCS#8 DER of the key,
 * keyed by scrypt of the password). Written and read here with BouncyCastle's primitives, so a
 * test's key pair can live in cosign's format; kapas itself never reads private keys.
 */
final class CosignKeyFile {
  private static final int N = 32768;
  private static final int R = 8;
  private static final int P = 1;

  private CosignKeyFile() {}

  /** {@code pkcs8} (DER) encrypted with {@code password}, as cosign.key text. */
  static String write(byte[] pkcs8, String password) {
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[32];
    byte[] nonce = new byte[24];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] key = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, N, R, P, 32);
    String json = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":" + N + ",\"r\":" + R + ",\"p\":" + P + "},\"salt\":\""
        + b64(salt) + "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" + b64(nonce) + "\"},\"ciphertext\":\""
        + b64(secretbox(key, nonce, pkcs8, true)) + "\"}";
    return "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
            json.getBytes(StandardCharsets.UTF_8)) + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
  }

  /** The PKCS#8 DER inside cosign.key {@code text}; a wrong password fails the authenticator. */
  static byte[] read(String text, String password) throws Exception {
    String body = text.replaceAll("-----(BEGIN|END) ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY-----", "");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Base64.getMimeDecoder().decode(body));
    var params = json.path("kdf").path("params");
    byte[] key = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8),
        Base64.getDecoder().decode(json.path("kdf").path("salt").asText()), params.path("N").asInt(),
        params.path("r").asInt(), params.path("p").asInt(), 32);
    return secretbox(key, Base64.getDecoder().decode(json.path("cipher").path("nonce").asText()),
        Base64.getDecoder().decode(json.path("ciphertext").asText()), false);
  }

  /** NaCl secretbox: XSalsa20, whose first 32 keystream bytes key Poly1305 over the ciphertext; tag first. */
  private static byte[] secretbox(byte[] key, byte[] nonce, byte[] in, boolean seal) {
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] macKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, macKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    byte[] tag = new byte[16];
    if (seal) {
      byte[] c = new byte[in.length];
      stream.processBytes(in, 0, in.length, c, 0);
      mac.update(c, 0, c.length);
      mac.doFinal(tag, 0);
      byte[] out = Arrays.copyOf(tag, 16 + c.length);
      System.arraycopy(c, 0, out, 16, c.length);
      return out;
    }
    byte[] c = Arrays.copyOfRange(in, 16, in.length);
    mac.update(c, 0, c.length);
    mac.doFinal(tag, 0);
    if (!java.security.MessageDigest.isEqual(tag, Arrays.copyOf(in, 16))) {
      throw new IllegalArgumentException("wrong password or corrupt cosign.key: the secretbox does not authenticate");
    }
    byte[] out = new byte[c.length];
    stream.processBytes(c, 0, c.length, out, 0);
    return out;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}

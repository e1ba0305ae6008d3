package dev.kapas.source.image.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A transparency-log entry's proofs, checked offline: the Merkle inclusion proof of RFC 6962 /
 * RFC 9162 (section 2.1.3.2: the leaf hash {@code SHA-256(0x00 || entry)} combined with the
 * audit path up to the root of a tree of the given size) and the signed checkpoint (a signed
 * note: origin, tree size and root hash, then {@code — <name> base64(key hint || signature)}
 * lines) whose size and root must be the proof's and whose signature must verify with the log's
 * key from the trusted root.
 */
final class LogProof {
  private LogProof() {}

  /** Why {@code path} does not prove {@code entry} at {@code index} in the tree {@code root} of {@code size}, or empty. */
  static Optional<String> inclusionProblem(byte[] entry, long index, long size, byte[] root, List<byte[]> path) {
    if (index < 0 || index >= size) {
      return Optional.of("the inclusion proof's index " + index + " is outside its tree of " + size);
    }
    byte[] r = hash(new byte[] {0}, entry, new byte[0]);
    long fn = index;
    long sn = size - 1;
    for (byte[] p : path) {
      if (sn == 0) {
        return Optional.of("the inclusion proof has more hashes than its tree needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hash(new byte[] {1}, p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = hash(new byte[] {1}, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0 || !Arrays.equals(r, root)) {
      return Optional.of("the inclusion proof does not lead from the entry to the root hash "
          + Base64.getEncoder().encodeToString(root));
    }
    return Optional.empty();
  }

  /** Why {@code note} is not a checkpoint of {@code size} and {@code root} signed by {@code key} ({@code keyId} its log ID). */
  static Optional<String> checkpointProblem(String note, long size, byte[] root, byte[] keyId, PublicKey key) {
    int end = note.indexOf("\n\n");
    if (end < 0) {
      return Optional.of("the checkpoint is not a signed note");
    }
    String body = note.substring(0, end + 1);
    String[] lines = body.split("\n");
    if (lines.length < 3 || !lines[1].equals(Long.toString(size)) || !lines[2].equals(Base64.getEncoder()
        .encodeToString(root))) {
      return Optional.of("the checkpoint is for another tree than the inclusion proof's");
    }
    for (String line : note.substring(end + 2).split("\n")) {
      if (!line.startsWith("\u2014 ")) {
        continue;
      }
      byte[] signed;
      try {
        signed = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (signed.length > 4 && Arrays.equals(Arrays.copyOf(signed, 4), Arrays.copyOf(keyId, 4))
          && verifies(key, body.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(signed, 4, signed.length))) {
        return Optional.empty();
      }
    }
    return Optional.of("the checkpoint's signature does not verify with the log's key");
  }

  static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature v = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
          : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519");
      v.initVerify(key);
      v.update(message);
      return v.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] hash(byte[] prefix, byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(prefix);
      d.update(a);
      d.update(b);
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

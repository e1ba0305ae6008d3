package dev.kapas.serve;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving certificate and key, read from PEM files and read again when either file changes
 * (cert-manager renews a Secret; the kubelet swaps the mounted files): each new TLS handshake uses
 * the newest pair that loads. A pair that does not load (a half-written file) leaves the previous
 * one in use until the next check.
 */
final class ReloadingKeys extends X509ExtendedKeyManager {
  private final Path certFile;
  private final Path keyFile;
  /** The pair in use under its alias, and the one before (a handshake may have chosen its alias already). */
  private final java.util.Map<String, PemFiles.KeyPair> pairs = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String alias;
  private volatile PemFiles.KeyPair current;
  private volatile String stamp;
  private int generation;

  ReloadingKeys(Path certFile, Path keyFile) throws PemFiles.BadPem {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.stamp = stamp();
    use(PemFiles.load(certFile, keyFile));
  }

  private synchronized void use(PemFiles.KeyPair pair) {
    String previous = alias;
    alias = "kapas-" + (++generation);
    pairs.keySet().removeIf(a -> !a.equals(previous));
    pairs.put(alias, pair);
    current = pair;
  }

  /** An SSL context serving with these keys. */
  SSLContext context() throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {this}, null, null);
    return ctx;
  }

  /**
   * Reads the files again when their modification time or size changed.
   *
   * @return true when a new pair is now in use
   * @throws PemFiles.BadPem when the changed files do not load (the previous pair stays)
   */
  boolean reloadIfChanged() throws PemFiles.BadPem {
    String now = stamp();
    if (now.equals(stamp)) {
      return false;
    }
    use(PemFiles.load(certFile, keyFile));
    stamp = now;
    return true;
  }

  X509Certificate leaf() {
    return current.chain().get(0);
  }

  private String stamp() {
    return stamp(certFile) + "|" + stamp(keyFile);
  }

  /** Modification time and size, through symbolic links (a mounted Secret is a link to a dated directory). */
  static String stamp(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file) + ":" + file.toRealPath();
    } catch (java.io.IOException e) {
      return "missing";
    }
  }

  private boolean suits(String keyType) {
    String algorithm = current.key().getAlgorithm();
    return keyType != null && (keyType.startsWith(algorithm)
        || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"))
        || (algorithm.startsWith("Ed") && keyType.equals("EdDSA")));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return suits(keyType) ? alias : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return suits(keyType) ? alias : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    PemFiles.KeyPair pair = alias == null ? null : pairs.get(alias);
    return pair == null ? null : pair.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    PemFiles.KeyPair pair = alias == null ? null : pairs.get(alias);
    return pair == null ? null : pair.key();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return suits(keyType) ? new String[] {alias} : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}

package dev.kapas.source.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reads the facts a probe records about a server certificate. */
public final class Certificates {
  private Certificates() {}

  /**
   * The leaf certificate's facts; {@code trusted} counts the JDK's default trust store and the
   * {@code extra} CA certificates the user trusts ({@code --cacert}).
   */
  static List<CertInfo> of(SSLSession session, List<X509Certificate> extra) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      X509Certificate[] x509 = Arrays.stream(chain).filter(X509Certificate.class::isInstance)
          .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
      return x509.length == 0 ? List.of() : List.of(info(x509, extra));
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  static CertInfo info(X509Certificate[] chain, List<X509Certificate> extra) {
    X509Certificate leaf = chain[0];
    return new CertInfo(leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), names(leaf), selfSigned(leaf),
        trusted(chain, extra), Instant.now().isAfter(leaf.getNotAfter().toInstant())
            || Instant.now().isBefore(leaf.getNotBefore().toInstant()));
  }

  private static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      if (cert.getSubjectAlternativeNames() != null) {
        for (List<?> san : cert.getSubjectAlternativeNames()) {
          int type = (Integer) san.get(0);
          if (type == 2 || type == 7) { // dNSName, iPAddress
            out.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unreadable SAN extension leaves the subject CN to go by
    }
    if (out.isEmpty()) {
      commonName(cert).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<String> commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // no CN to use
    }
    return Optional.empty();
  }

  private static boolean selfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Whether the chain leads to a CA of the JDK's default trust store (what a browser-like client
   * trusts) or of {@code extra}, or is itself one of {@code extra} (a pinned certificate): PKIX
   * path validation at the current time, without revocation checks (a probe fetches nothing).
   */
  static boolean trusted(X509Certificate[] chain, List<X509Certificate> extra) {
    if (extra.contains(chain[0])) {
      return true;
    }
    Set<TrustAnchor> anchors = new HashSet<>(DEFAULT_ANCHORS);
    extra.forEach(c -> anchors.add(new TrustAnchor(c, null)));
    if (anchors.isEmpty()) {
      return false;
    }
    try {
      List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
      // a chain that ends in a root we trust: the root is the anchor, not part of the path
      while (path.size() > 1 && anchors.stream().anyMatch(a -> a.getTrustedCert().equals(path.get(path.size() - 1)))) {
        path.remove(path.size() - 1);
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      return true;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static final Set<TrustAnchor> DEFAULT_ANCHORS = defaultAnchors();

  private static Set<TrustAnchor> defaultAnchors() {
    Set<TrustAnchor> out = new HashSet<>();
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          Arrays.stream(x.getAcceptedIssuers()).forEach(c -> out.add(new TrustAnchor(c, null)));
        }
      }
    } catch (GeneralSecurityException e) {
      // no default trust store: only --cacert certificates are trusted
    }
    return Set.copyOf(out);
  }

  /**
   * The certificates in a PEM (one or more) or DER file, for {@code --cacert}; a missing or
   * unreadable file, or one without a certificate, throws with a one-line message.
   */
  public static List<X509Certificate> load(Path file, String shown) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--cacert " + shown + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x) {
          out.add(x);
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("--cacert " + shown + ": no certificate in it (PEM or DER expected)");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("--cacert " + shown + ": not a PEM or DER certificate file ("
          + e.getMessage() + ")");
    }
  }
}

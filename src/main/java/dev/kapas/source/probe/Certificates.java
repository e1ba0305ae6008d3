package dev.kapas.source.probe;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reads the facts a probe records about a server certificate. */
final class Certificates {
  private Certificates() {}

  static List<CertInfo> of(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      X509Certificate[] x509 = Arrays.stream(chain).filter(X509Certificate.class::isInstance)
          .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
      return x509.length == 0 ? List.of() : List.of(info(x509));
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  static CertInfo info(X509Certificate[] chain) {
    X509Certificate leaf = chain[0];
    return new CertInfo(leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), names(leaf), selfSigned(leaf),
        trusted(chain), Instant.now().isAfter(leaf.getNotAfter().toInstant())
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

  /** Whether the JDK's default trust store (what a browser-like client trusts) accepts it. */
  private static boolean trusted(X509Certificate[] chain) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          x.checkServerTrusted(chain, "UNKNOWN");
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}

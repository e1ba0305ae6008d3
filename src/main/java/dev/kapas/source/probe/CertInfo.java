package dev.kapas.source.probe;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificate a TLS server presented (the leaf), as far as probing needs it.
 *
 * @param subject subject distinguished name
 * @param issuer issuer distinguished name
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param names subject alternative names (DNS names and IP addresses), else the subject CN
 * @param selfSigned issuer equals subject and the certificate verifies with its own key
 * @param trusted the chain verifies against the JDK's default trust store or a CA the user named
 *     ({@code --cacert}), or is a certificate the user named
 * @param expired past {@code notAfter} (or before {@code notBefore}) when it was probed
 */
public record CertInfo(String subject, String issuer, Instant notBefore, Instant notAfter, List<String> names,
    boolean selfSigned, boolean trusted, boolean expired) {

  public CertInfo {
    names = List.copyOf(names);
  }

  /** {@code subject, issuer, names, notBefore, notAfter, selfSigned, trusted, expired}, for reports. */
  public Map<String, Object> reportFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", subject);
    m.put("issuer", issuer);
    m.put("names", names);
    m.put("notBefore", notBefore.toString());
    m.put("notAfter", notAfter.toString());
    m.put("selfSigned", selfSigned);
    m.put("trusted", trusted);
    m.put("expired", expired);
    return m;
  }

  /**
   * Whether the certificate is for {@code host} (RFC 6125: a DNS name, a single leftmost
   * wildcard label, or an IP address written out).
   */
  public boolean matches(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    for (String name : names) {
      if (name.equalsIgnoreCase(h) || (Targets.isIpLiteral(h) && Targets.sameAddress(name, h))) {
        return true;
      }
      if (name.startsWith("*.") && !Targets.isIpLiteral(h)) {
        int dot = h.indexOf('.');
        if (dot > 0 && h.substring(dot + 1).equalsIgnoreCase(name.substring(2))) {
          return true;
        }
      }
    }
    return false;
  }
}

package dev.kapas.rules.code;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.CertInfo;
import dev.kapas.source.probe.HttpEndpoint;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/** An HTTPS endpoint offers TLS below 1.2 or serves a certificate a client cannot trust. */
public final class DastTlsWeak implements FactRule<HttpEndpoint> {
  private static final RuleSpec SPEC = RuleSpec.rule("code.dast-tls-weak")
      .title("Weak TLS on an HTTPS endpoint")
      .severity(Severity.MEDIUM)
      .input(Input.CODE)
      .why("TLS 1.0 and 1.1 have known attacks and no modern cipher suites; an expired, self-signed or "
          + "mismatched certificate teaches users and clients to click through warnings or turn off "
          + "verification, which is what an interceptor needs.")
      .fix("Offer TLS 1.2 and 1.3 only (nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Ingress-NGINX "
          + "`ssl-protocols`), and serve a certificate from a trusted CA for the name clients use "
          + "(cert-manager renews it before it expires).")
      .refs("https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html")
      .control("nsa", "Network separation and hardening: encryption")
      .build();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<HttpEndpoint> type() {
    return HttpEndpoint.class;
  }

  @Override
  public boolean appliesTo(HttpEndpoint endpoint) {
    return endpoint.https();
  }

  @Override
  public void check(HttpEndpoint endpoint, RuleContext ctx) {
    for (HttpEndpoint.TlsVersion v : endpoint.protocols()) {
      if (v.accepted() == HttpEndpoint.Outcome.ACCEPTED && (v.name().equals("TLSv1") || v.name().equals("TLSv1.1"))) {
        ctx.fail(new Location(endpoint.url(), 0, 0, "tls." + v.name()),
            endpoint.url() + " accepts " + v.name() + " (" + v.how() + ")");
      }
    }
    for (CertInfo cert : endpoint.certificates()) {
      Location at = new Location(endpoint.url(), 0, 0, "certificate");
      if (cert.expired()) {
        ctx.fail(at, endpoint.url() + " serves a certificate valid " + DAY.format(cert.notBefore()) + " to "
            + DAY.format(cert.notAfter()) + ", not now (" + cert.subject() + ")");
      }
      // a certificate the user trusts (--cacert: its CA, or the certificate itself) is neither
      if (cert.selfSigned() && !cert.trusted()) {
        ctx.fail(at, endpoint.url() + " serves a self-signed certificate (" + cert.subject() + ")");
      } else if (!cert.trusted()) {
        ctx.fail(at, endpoint.url() + " serves a certificate no default trust store accepts (issuer "
            + cert.issuer() + ")");
      }
      if (!cert.matches(endpoint.host())) {
        ctx.fail(at, endpoint.url() + " serves a certificate for " + String.join(", ", cert.names())
            + ", not for " + endpoint.host());
      }
    }
  }
}

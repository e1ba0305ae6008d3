package dev.kapas.rules.code;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.HttpAnswer;
import dev.kapas.source.probe.HttpEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An HTTP endpoint's answer lacks the baseline security headers. */
public final class DastSecurityHeaders implements FactRule<HttpEndpoint> {
  private static final RuleSpec SPEC = RuleSpec.rule("code.dast-security-headers")
      .title("Security headers missing")
      .severity(Severity.LOW)
      .input(Input.CODE)
      .why("Browsers only defend a site against downgrade (HSTS), MIME sniffing (X-Content-Type-Options), "
          + "clickjacking (a frame policy) and injected scripts (Content-Security-Policy) when the site "
          + "asks them to, in its response headers.")
      .fix("Send `Strict-Transport-Security` (HTTPS), `X-Content-Type-Options: nosniff`, "
          + "`X-Frame-Options: DENY` or a CSP `frame-ancestors`, and a `Content-Security-Policy` — in the "
          + "application, or at the Ingress (e.g. Ingress-NGINX `add-headers` / `configuration-snippet`).")
      .refs("https://owasp.org/www-project-secure-headers/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<HttpEndpoint> type() {
    return HttpEndpoint.class;
  }

  @Override
  public void check(HttpEndpoint endpoint, RuleContext ctx) {
    HttpAnswer a = endpoint.answer();
    String csp = a.header("content-security-policy").orElse("");
    List<String> missing = new ArrayList<>();
    if (endpoint.https() && a.header("strict-transport-security").isEmpty()) {
      missing.add("Strict-Transport-Security");
    }
    if (!a.header("x-content-type-options").orElse("").toLowerCase(Locale.ROOT).contains("nosniff")) {
      missing.add("X-Content-Type-Options: nosniff");
    }
    if (a.header("x-frame-options").isEmpty() && !csp.toLowerCase(Locale.ROOT).contains("frame-ancestors")) {
      missing.add("X-Frame-Options (or CSP frame-ancestors)");
    }
    if (csp.isEmpty()) {
      missing.add("Content-Security-Policy");
    }
    if (!missing.isEmpty()) {
      ctx.fail(new Location(endpoint.url(), 0, 0, "headers"),
          a.evidence() + " lacks " + String.join(", ", missing));
    }
  }
}

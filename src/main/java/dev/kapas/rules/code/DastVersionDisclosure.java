package dev.kapas.rules.code;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.HttpEndpoint;
import java.util.List;
import java.util.regex.Pattern;

/** Server or X-Powered-By headers name product versions. */
public final class DastVersionDisclosure implements FactRule<HttpEndpoint> {
  private static final RuleSpec SPEC = RuleSpec.rule("code.dast-version-disclosure")
      .title("Server version disclosed in headers")
      .severity(Severity.LOW)
      .input(Input.CODE)
      .why("A version in `Server` or `X-Powered-By` tells an attacker which published vulnerabilities to "
          + "try, without any probing that might be noticed.")
      .fix("Turn version disclosure off: nginx `server_tokens off;` (Ingress-NGINX `server-tokens: \"false\"`), "
          + "Apache `ServerTokens Prod`, PHP `expose_php = Off`, Express `app.disable('x-powered-by')`.")
      .refs("https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server")
      .build();
  /** A product token with a version: {@code nginx/1.22.1}, {@code PHP/8.2}, {@code Express 4.18}. */
  private static final Pattern VERSION = Pattern.compile("[A-Za-z][\\w.-]*[/ ]v?\\d+(\\.\\d+)+");

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
    for (String header : List.of("Server", "X-Powered-By", "X-AspNet-Version")) {
      endpoint.answer().header(header)
          .filter(v -> VERSION.matcher(v).find() || header.equals("X-AspNet-Version"))
          .ifPresent(v -> ctx.fail(new Location(endpoint.url(), 0, 0, "headers." + header),
              endpoint.answer().evidence() + " sends `" + header + ": " + v + "`"));
    }
  }
}

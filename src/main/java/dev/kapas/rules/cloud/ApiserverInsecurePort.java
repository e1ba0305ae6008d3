package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** The API server answers over plain HTTP (the old insecure port, 8080). */
public final class ApiserverInsecurePort extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.apiserver-insecure-port")
      .title("API server answers over plain HTTP")
      .severity(Severity.CRITICAL)
      .input(Input.PROBE)
      .why("The insecure port skips authentication and authorization entirely: whoever reaches it is "
          + "cluster-admin, and everything travels unencrypted.")
      .fix("Set `--insecure-port=0` on the API server (removed in Kubernetes 1.20+; upgrade) and serve only "
          + "on the TLS port.")
      .refs("https://kubernetes.io/docs/concepts/security/controlling-access/#api-server-ports-and-ips")
      .control("cis", "1.2.19")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.API_SERVER;
  }

  @Override
  public boolean appliesTo(PortFact fact) {
    return super.appliesTo(fact) || fact.port() == 8080;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.API_SERVER) && fact.transport() == PortFact.Transport.PLAIN) {
      fact.firstHttp().ifPresent(a -> fail(ctx, fact, request(a),
          fact.describe() + ": " + a.evidence() + " without TLS or credentials"));
    }
  }
}

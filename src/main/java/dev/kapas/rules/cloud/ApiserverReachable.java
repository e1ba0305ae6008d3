package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** The API server answers from where kapas runs. */
public final class ApiserverReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.apiserver-reachable")
      .title("API server reachable")
      .severity(Severity.MEDIUM)
      .input(Input.PROBE)
      .why("Every API server vulnerability and every leaked credential is only as dangerous as the "
          + "number of networks that can reach the API. An API server answering from an untrusted "
          + "network is one step from compromise.")
      .fix("Restrict the API endpoint to the networks that administer the cluster (firewall, security "
          + "group, private endpoint or an authorized-networks allow-list).")
      .refs("https://kubernetes.io/docs/concepts/security/controlling-access/")
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
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.API_SERVER)) {
      String evidence = fact.answer("/version").filter(a -> a.status() > 0).or(fact::firstHttp)
          .map(a -> ": " + a.evidence()).orElse("");
      fail(ctx, fact, "GET /version", fact.describe() + evidence);
    }
  }
}

package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** An anonymous request lists resources. */
public final class ApiserverAnonymous extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.apiserver-anonymous")
      .title("API server lists resources to anonymous requests")
      .severity(Severity.HIGH)
      .input(Input.PROBE)
      .why("With anonymous authentication on and a binding that grants system:anonymous or "
          + "system:unauthenticated more than discovery, anyone who reaches the API reads the cluster "
          + "(and often more) without any credential.")
      .fix("Set `--anonymous-auth=false` on the API server, or remove the RoleBindings and "
          + "ClusterRoleBindings that grant `system:anonymous` / `system:unauthenticated` access to resources.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests")
      .control("cis", "1.2.1")
      .control("nsa", AUTH)
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
      fact.answer("/api/v1/namespaces").filter(a -> a.ok()).ifPresent(a -> fail(ctx, fact, request(a),
          fact.describe() + ": anonymous " + a.evidence()));
    }
  }
}

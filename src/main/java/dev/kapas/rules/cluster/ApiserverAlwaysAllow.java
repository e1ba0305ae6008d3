package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;

/** Authorization that allows everything. */
public final class ApiserverAlwaysAllow extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-always-allow")
      .title("API server authorizes every request (AlwaysAllow)")
      .severity(Severity.CRITICAL)
      .input(Input.NODE)
      .why("With AlwaysAllow in --authorization-mode (its default when the flag is not set), every "
          + "authenticated request is allowed whatever RBAC says: any ServiceAccount token is cluster-admin.")
      .fix("Set `--authorization-mode=Node,RBAC` on the kube-apiserver.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules")
      .control("cis", "1.2.6")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (fact.flags().list("authorization-mode").contains("AlwaysAllow")) {
      fail(ctx, fact, "authorization-mode", setting(fact, "authorization-mode"));
    }
  }
}

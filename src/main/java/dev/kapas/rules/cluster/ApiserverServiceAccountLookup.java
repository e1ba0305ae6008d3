package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;

/** Tokens of deleted ServiceAccounts keep working. */
public final class ApiserverServiceAccountLookup extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-service-account-lookup")
      .title("API server accepts tokens of deleted ServiceAccounts")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("With --service-account-lookup=false the API server only checks a token's signature, so a "
          + "token keeps working after its ServiceAccount or Secret is deleted.")
      .fix("Remove --service-account-lookup=false (the default is true).")
      .refs("https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/")
      .control("cis", "1.2.21")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (!fact.flags().isTrue("service-account-lookup")) {
      fail(ctx, fact, "service-account-lookup", setting(fact, "service-account-lookup"));
    }
  }
}

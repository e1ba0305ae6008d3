package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;

/** Static token or password files. */
public final class ApiserverTokenAuthFile extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-token-auth-file")
      .title("API server authenticates with a static token or password file")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Tokens in a static file never expire, cannot be revoked without restarting the API "
          + "server, and sit in plain text on the control-plane disk.")
      .fix("Remove --token-auth-file (and --basic-auth-file on old versions); authenticate users with "
          + "client certificates, OIDC or a webhook, and workloads with ServiceAccount tokens.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file")
      .control("cis", "1.2.2")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    for (String flag : List.of("token-auth-file", "basic-auth-file")) {
      if (fact.flags().isSet(flag)) {
        fail(ctx, fact, flag, setting(fact, flag));
      }
    }
  }
}

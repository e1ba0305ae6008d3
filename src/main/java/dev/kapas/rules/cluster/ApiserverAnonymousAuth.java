package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;

/** The API server takes anonymous requests. */
public final class ApiserverAnonymousAuth extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-anonymous-auth")
      .title("API server accepts anonymous requests")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Unless --anonymous-auth=false, every request without credentials is served as "
          + "system:anonymous; one careless RBAC binding to that user or to system:unauthenticated "
          + "then opens the API to anyone who reaches the port.")
      .fix("Add `--anonymous-auth=false` to the kube-apiserver command (kubeadm: "
          + "apiServer.extraArgs), or, from v1.32, limit anonymous access to health endpoints with an "
          + "AuthenticationConfiguration.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests")
      .control("cis", "1.2.1")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (fact.flags().isTrue("anonymous-auth")) {
      fail(ctx, fact, "anonymous-auth", setting(fact, "anonymous-auth"));
    }
  }
}

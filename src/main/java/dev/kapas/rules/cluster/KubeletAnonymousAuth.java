package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.KubeletFact;

/** The kubelet serves anonymous requests. */
public final class KubeletAnonymousAuth extends KubeletRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.kubelet-anonymous-auth")
      .title("Kubelet accepts anonymous requests")
      .severity(Severity.CRITICAL)
      .input(Input.NODE)
      .why("An anonymous request to the kubelet API on 10250 is served as system:anonymous; with "
          + "authorization AlwaysAllow that includes /exec and /run in every container of the node.")
      .fix("Set `authentication.anonymous.enabled: false` in the kubelet config (or --anonymous-auth=false).")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/")
      .control("cis", "4.2.1")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(KubeletFact fact, RuleContext ctx) {
    KubeletFact.Setting s = fact.setting("anonymous-auth", "authentication.anonymous.enabled", "false");
    if (s.isTrue()) {
      fail(ctx, fact, s, "anonymous authentication is enabled");
    }
  }
}

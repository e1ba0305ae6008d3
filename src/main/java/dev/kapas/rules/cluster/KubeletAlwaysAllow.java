package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.KubeletFact;

/** The kubelet authorizes every request. */
public final class KubeletAlwaysAllow extends KubeletRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.kubelet-always-allow")
      .title("Kubelet authorizes every request (AlwaysAllow)")
      .severity(Severity.CRITICAL)
      .input(Input.NODE)
      .why("With authorization mode AlwaysAllow anyone the kubelet authenticates — anonymous users "
          + "too, if enabled — may exec into containers, read logs and list pods on the node.")
      .fix("Set `authorization.mode: Webhook` in the kubelet config (or --authorization-mode=Webhook) "
          + "with `authentication.webhook.enabled: true`.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization")
      .control("cis", "4.2.2")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(KubeletFact fact, RuleContext ctx) {
    KubeletFact.Setting s = fact.setting("authorization-mode", "authorization.mode", "Webhook");
    if (s.value().trim().equals("AlwaysAllow")) {
      fail(ctx, fact, s, "authorization mode is AlwaysAllow");
    }
  }
}

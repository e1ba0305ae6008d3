package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** The kubelet lists pods to an anonymous request. */
public final class KubeletAnonymous extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.kubelet-anonymous")
      .title("Kubelet answers anonymous requests")
      .severity(Severity.CRITICAL)
      .input(Input.PROBE)
      .why("A kubelet that serves /pods without credentials usually also serves /run and /exec: "
          + "anyone who reaches it runs commands in every container on the node.")
      .fix("In the kubelet config set `authentication.anonymous.enabled: false`, "
          + "`authentication.webhook.enabled: true` and `authorization.mode: Webhook` "
          + "(flags `--anonymous-auth=false --authorization-mode=Webhook`).")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/")
      .control("cis", "4.2.1")
      .control("nsa", AUTH)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.KUBELET;
  }

  @Override
  public boolean appliesTo(PortFact fact) {
    return fact.port() != 10255 && super.appliesTo(fact);
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.KUBELET) && fact.transport() == PortFact.Transport.TLS) {
      fact.answer("/pods").filter(a -> a.ok()).ifPresent(a -> fail(ctx, fact, request(a),
          fact.describe() + ": anonymous " + a.evidence()));
    }
  }
}

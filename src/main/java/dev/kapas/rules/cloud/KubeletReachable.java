package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** The kubelet API accepts connections. */
public final class KubeletReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.kubelet-reachable")
      .title("Kubelet API reachable")
      .severity(Severity.MEDIUM)
      .input(Input.PROBE)
      .why("The kubelet API runs commands in containers and reads their logs. Only the API server "
          + "(and metrics collectors) need it; reachable from elsewhere, it is one misconfiguration away "
          + "from remote code execution on the node.")
      .fix("Firewall port 10250 on the nodes to the control plane and monitoring; keep "
          + "`authentication.anonymous.enabled: false` and `authorization.mode: Webhook` in the kubelet config.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/")
      .control("nsa", NETWORK)
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
    return super.appliesTo(fact) && fact.port() != 10255 || fact.component() == Component.KUBELET
        && fact.transport() != PortFact.Transport.PLAIN;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.KUBELET) && fact.transport() != PortFact.Transport.PLAIN) {
      String evidence = fact.answer("/pods").filter(a -> a.status() > 0).or(fact::firstHttp)
          .map(a -> ": " + a.evidence()).orElse(": TCP connect succeeds");
      fail(ctx, fact, "tcp", fact.describe() + evidence);
    }
  }
}

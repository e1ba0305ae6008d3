package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** The read-only kubelet port serves /pods over plain HTTP. */
public final class KubeletReadOnlyReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.kubelet-read-only-reachable")
      .title("Read-only kubelet port answers")
      .severity(Severity.HIGH)
      .input(Input.PROBE)
      .why("The read-only port (10255) has no authentication at all: it lists every pod on the node with "
          + "its environment, images and volumes, which maps the cluster for an attacker and often leaks "
          + "credentials set as environment variables.")
      .fix("Set `readOnlyPort: 0` in the kubelet config (flag `--read-only-port=0`).")
      .refs("https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/")
      .control("cis", "4.2.4")
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
    return fact.port() == 10255 || fact.component() == Component.KUBELET && fact.transport() == PortFact.Transport.PLAIN;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.KUBELET) && fact.transport() == PortFact.Transport.PLAIN) {
      fact.answer("/pods").filter(a -> a.ok()).ifPresent(a -> fail(ctx, fact, request(a),
          fact.describe() + ": " + a.evidence() + " over plain HTTP, no credentials"));
    }
  }
}

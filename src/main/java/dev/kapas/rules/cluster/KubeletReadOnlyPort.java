package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.KubeletFact;

/** The unauthenticated read-only port is open. */
public final class KubeletReadOnlyPort extends KubeletRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.kubelet-read-only-port")
      .title("Kubelet serves the read-only port")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("The read-only port (10255) answers /pods and /spec over plain HTTP with no authentication: "
          + "every pod's spec, environment variables included, to anyone on the network.")
      .fix("Set `readOnlyPort: 0` in the kubelet config (or --read-only-port=0).")
      .refs("https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/")
      .control("cis", "4.2.4")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(KubeletFact fact, RuleContext ctx) {
    KubeletFact.Setting s = fact.setting("read-only-port", "readOnlyPort", "0");
    if (!s.value().trim().equals("0")) {
      fail(ctx, fact, s, "read-only port is " + s.value().trim());
    }
  }
}

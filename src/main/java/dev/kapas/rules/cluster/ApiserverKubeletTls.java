package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** API server to kubelet without client certificate or server verification. */
public final class ApiserverKubeletTls extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-kubelet-tls")
      .title("API server talks to kubelets without a client certificate or without verifying them")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without a client certificate kubelets cannot authenticate the API server (so they must "
          + "allow anonymous access); without a CA to check the kubelets' serving certificates, exec "
          + "and logs traffic can be intercepted by whoever answers on the node's address.")
      .fix("Set --kubelet-client-certificate, --kubelet-client-key and --kubelet-certificate-authority "
          + "on the kube-apiserver (and have kubelets serve certificates signed by that CA).")
      .refs("https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/")
      .control("cis", "1.2.4")
      .control("cis", "1.2.5")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("1.2.4", List.of("kubelet-client-certificate", "kubelet-client-key"),
        "1.2.5", List.of("kubelet-certificate-authority"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    requireSet(ctx, fact, "kubelet-client-certificate", "kubelet-client-key", "kubelet-certificate-authority");
  }
}

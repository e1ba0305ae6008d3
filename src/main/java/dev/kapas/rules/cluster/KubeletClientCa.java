package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.KubeletFact;

/** The kubelet cannot verify client certificates. */
public final class KubeletClientCa extends KubeletRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.kubelet-client-ca")
      .title("Kubelet has no client CA to verify callers")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without a client CA file the kubelet cannot authenticate the API server's client "
          + "certificate, so it either rejects the control plane or must be opened up some other way.")
      .fix("Set `authentication.x509.clientCAFile` in the kubelet config (or --client-ca-file) to the "
          + "cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt).")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authentication")
      .control("cis", "4.2.3")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(KubeletFact fact, RuleContext ctx) {
    KubeletFact.Setting s = fact.setting("client-ca-file", "authentication.x509.clientCAFile", "");
    if (s.value().isBlank()) {
      fail(ctx, fact, s, "no client CA file is set");
    }
  }
}

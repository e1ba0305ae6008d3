package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.inventory.NetworkPolicies;
import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;

/** A pod no NetworkPolicy selects accepts connections from anywhere and connects anywhere. */
public final class PodNotIsolated implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.pod-not-isolated")
      .title("Pod open to ingress: no NetworkPolicy isolates it")
      .severity(Severity.MEDIUM)
      .why("A pod is isolated only by the NetworkPolicies of its namespace whose `podSelector` "
          + "matches its labels, and only in the directions of their `policyTypes`: a pod that no "
          + "policy with `Ingress` among its types selects accepts connections from any pod of the "
          + "cluster, even when an egress policy selects it (open egress is "
          + "cluster.egress-unrestricted's). A namespace without any NetworkPolicy is reported once, "
          + "by cluster.namespace-no-network-policy, with its pods listed; this rule reports the "
          + "pods that a namespace's policies leave open. "
          + "Policies are matched against the pod template's labels, only within the pod's "
          + "namespace (unset counts as `default`); the scan must contain the policies. A pod "
          + "with `hostNetwork: true` uses the node's network, where NetworkPolicies do not "
          + "apply (network plugins leave host-network pods alone), so a policy selecting it "
          + "isolates nothing.")
      .fix("Add a NetworkPolicy whose `podSelector` matches the pod's labels (or a default-deny "
          + "policy with `podSelector: {}` in the namespace) and allow only the flows it needs.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation")
      .control("cis", "5.3.2")
      .control("nsa", "Network separation and hardening: network policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    NetworkPolicies policies = ctx.inventory().networkPolicies();
    boolean selected = policies.selectsAny(pod);
    Field hostNetwork = pod.spec().get("hostNetwork");
    if (hostNetwork.node().isTrue()) {
      ctx.fail(hostNetwork, pod.object().kind() + " `" + pod.object().name() + "` sets `hostNetwork: true`, "
          + "where NetworkPolicies do not apply" + (selected ? ", so the policies that select it isolate nothing" : "")
          + "; it is open to and from anywhere the node is");
      return;
    }
    String ns = Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT);
    int inNamespace = policies.inNamespace(ns).size();
    if (inNamespace == 0 || policies.isolates(pod, Direction.INGRESS)) {
      return; // a namespace without policies is reported once, by cluster.namespace-no-network-policy
    }
    ctx.fail(pod.metadata().get("labels"), pod.object().kind() + " `" + pod.object().name() + "` "
        + PodLabels.describe(pod) + (selected
            ? " is selected only by egress NetworkPolicies in namespace `" + ns + "`, so it is open to ingress from anywhere"
            : " is selected by no NetworkPolicy in namespace `" + ns + "` (none of its " + inNamespace
                + " matches these labels), so it is open to and from anywhere"));
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;

/** A pod no NetworkPolicy selects accepts connections from anywhere and connects anywhere. */
public final class PodNotIsolated implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.pod-not-isolated")
      .title("Pod selected by no NetworkPolicy")
      .severity(Severity.MEDIUM)
      .why("A pod is isolated only by the NetworkPolicies of its namespace whose `podSelector` "
          + "matches its labels. A pod that no policy selects, for ingress or for egress, is open "
          + "both ways: any pod of the cluster can connect to it, and it can connect to anything. "
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
    boolean selected = ctx.inventory().networkPolicies().selectsAny(pod);
    Field hostNetwork = pod.spec().get("hostNetwork");
    if (hostNetwork.node().isTrue()) {
      ctx.fail(hostNetwork, pod.object().kind() + " `" + pod.object().name() + "` sets `hostNetwork: true`, "
          + "where NetworkPolicies do not apply" + (selected ? ", so the policies that select it isolate nothing" : "")
          + "; it is open to and from anywhere the node is");
      return;
    }
    if (selected) {
      return;
    }
    String ns = Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT);
    int others = ctx.inventory().networkPolicies().inNamespace(ns).size();
    ctx.fail(pod.metadata().get("labels"), pod.object().kind() + " `" + pod.object().name() + "` "
        + PodLabels.describe(pod) + " is selected by no NetworkPolicy in namespace `" + ns + "`"
        + (others == 0 ? " (it has none)" : " (none of its " + others + " matches these labels)")
        + ", so it is open to and from anywhere");
  }
}

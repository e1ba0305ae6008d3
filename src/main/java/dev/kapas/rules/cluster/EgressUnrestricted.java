package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.inventory.NetworkPolicies;
import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;

/** Without an egress policy a compromised pod can call home, scan the network and read cloud metadata. */
public final class EgressUnrestricted implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.egress-unrestricted")
      .title("Pod egress unrestricted")
      .severity(Severity.LOW)
      .why("Until a NetworkPolicy with Egress among its policy types selects a pod, the pod may "
          + "open connections to anything: other pods, the API server, the node, the internet for "
          + "exfiltration or a command channel, and the cloud metadata service (169.254.169.254), "
          + "which hands out node credentials on many clouds. A policy without `policyTypes` "
          + "covers egress only when it has `egress` rules, as the API server defaults it. A namespace "
          + "without any NetworkPolicy is reported once, by cluster.namespace-no-network-policy.")
      .fix("Select the pod with a NetworkPolicy that has `Egress` in `policyTypes` (a namespace-wide "
          + "default deny, `podSelector: {}` with `policyTypes: [Egress]`, is the usual start), then "
          + "allow DNS and the destinations the workload needs.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic")
      .control("cis", "5.3.2")
      .control("nsa", "Network separation and hardening: network policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    String ns = Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT);
    NetworkPolicies policies = ctx.inventory().networkPolicies();
    if (policies.inNamespace(ns).isEmpty() || policies.isolates(pod, Direction.EGRESS)) {
      return; // a namespace without policies is reported once, by cluster.namespace-no-network-policy
    }
    ctx.fail(pod.metadata().get("labels"), pod.object().kind() + " `" + pod.object().name() + "` "
        + PodLabels.describe(pod) + " is selected by no egress NetworkPolicy in namespace `" + ns
        + "`, so it can connect anywhere, the cloud metadata service included");
  }
}

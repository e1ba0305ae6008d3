package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Allow-lists only work when everything else is denied first. */
public final class NoDefaultDeny implements InventoryRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.no-default-deny")
      .title("Namespace without a default-deny ingress policy")
      .severity(Severity.MEDIUM)
      .why("NetworkPolicies only isolate the pods they select. Without a default-deny policy "
          + "(empty `podSelector`, `Ingress` among its policy types, no ingress rules) every new "
          + "workload, and every pod whose labels miss the allow policies, is reachable from the "
          + "whole cluster. Only namespaces that hold pod-bearing objects in this scan and at least one "
          + "NetworkPolicy are judged: one without any is reported once, by "
          + "cluster.namespace-no-network-policy.")
      .fix("Add a NetworkPolicy such as `default-deny-ingress` with `podSelector: {}`, "
          + "`policyTypes: [Ingress]` and no `ingress` rules to the namespace, then allow the flows "
          + "each workload needs with further policies.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic")
      .control("cis", "5.3.2")
      .control("nsa", "Network separation and hardening: network policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    NamespaceCheck.eachNamespaceWithPods(inventory, ctx, ns -> {
      List<Policy> policies = inventory.networkPolicies().inNamespace(ns);
      if (policies.isEmpty() || policies.stream().anyMatch(p -> p.deniesAll(Direction.INGRESS))) {
        return Optional.empty(); // without any policy: reported once, by cluster.namespace-no-network-policy
      }
      return Optional.of("has no default-deny ingress NetworkPolicy among its " + policies.size()
          + " (one with `podSelector: {}`, Ingress in its policy types and no ingress rules)");
    });
  }
}

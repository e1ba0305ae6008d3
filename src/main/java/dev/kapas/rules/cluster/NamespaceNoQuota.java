package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.Optional;

/** A namespace without a quota can starve the whole cluster. */
public final class NamespaceNoQuota implements InventoryRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.namespace-no-quota")
      .title("Namespace without a ResourceQuota")
      .severity(Severity.LOW)
      .why("A ResourceQuota caps what one namespace may claim in total (CPU, memory, pods, "
          + "Services, storage). Without one, a runaway or compromised workload — a fork bomb of "
          + "replicas, a cryptominer — can take every node's capacity from the other tenants. "
          + "Only namespaces that hold pod-bearing objects in this scan are judged.")
      .fix("Add a ResourceQuota to the namespace with `hard` limits for `requests.cpu`, "
          + "`requests.memory`, `limits.memory` and `pods` sized for the application.")
      .refs("https://kubernetes.io/docs/concepts/policy/resource-quotas/")
      .control("nsa", "Network separation and hardening: resource policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    NamespaceCheck.eachNamespaceWithPods(inventory, ctx, ns -> inventory.namespaces().ofKind(ns, "ResourceQuota").isEmpty()
        ? Optional.of("has no ResourceQuota") : Optional.empty());
  }
}

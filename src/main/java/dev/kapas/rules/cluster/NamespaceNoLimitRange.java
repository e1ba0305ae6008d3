package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.Optional;

/** A LimitRange gives containers that forget their limits sane defaults. */
public final class NamespaceNoLimitRange implements InventoryRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.namespace-no-limit-range")
      .title("Namespace without a LimitRange")
      .severity(Severity.LOW)
      .why("A LimitRange sets default requests and limits for containers that declare none, and "
          + "bounds what one container may ask for. Without it, a container without limits may "
          + "use a whole node's memory and CPU. Only namespaces that hold pod-bearing objects in "
          + "this scan are judged.")
      .fix("Add a LimitRange of `type: Container` with `default`, `defaultRequest` and `max` for "
          + "cpu and memory to the namespace.")
      .refs("https://kubernetes.io/docs/concepts/policy/limit-range/")
      .control("nsa", "Network separation and hardening: resource policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    NamespaceCheck.eachNamespaceWithPods(inventory, ctx, ns -> inventory.namespaces().ofKind(ns, "LimitRange").isEmpty()
        ? Optional.of("has no LimitRange") : Optional.empty());
  }
}

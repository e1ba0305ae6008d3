package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A wildcard grants today's and tomorrow's resources and verbs, whatever they turn out to be. */
public final class RbacWildcard implements InventoryRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-wildcard")
      .title("RBAC rule uses a wildcard")
      .severity(Severity.HIGH)
      .why("`*` in `verbs`, `resources` or `apiGroups` grants everything of that kind, including "
          + "resources and verbs added later by upgrades and CRDs (`escalate`, `impersonate`, "
          + "`secrets`, `pods/exec`). The finding names the bindings and subjects that hold the role, or "
          + "says it is not bound in this scan. The upstream default roles (`cluster-admin`, "
          + "`system:*`) are left out.")
      .fix("List the verbs, resources and API groups the workload needs instead of `*`.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege")
      .control("cis", "5.1.3")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, (rule, role, graph) -> {
      List<String> where = new ArrayList<>();
      if (rule.verbs().contains(PolicyRule.ALL)) {
        where.add("verbs");
      }
      if (rule.resources().contains(PolicyRule.ALL)) {
        where.add("resources");
      }
      if (rule.apiGroups().contains(PolicyRule.ALL)) {
        where.add("apiGroups");
      }
      return where.isEmpty() ? Optional.empty()
          : Optional.of("uses `*` in " + String.join(" and ", where) + " (" + rule.describe() + ")");
    });
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.inventory.rbac.Role;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A wildcard grants today's and tomorrow's resources and verbs, whatever they turn out to be. */
public final class RbacWildcard implements RbacPermissions.RoleRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-wildcard")
      .title("RBAC rule uses a wildcard")
      .severity(Severity.HIGH)
      .why("`*` in `verbs`, `resources` or `apiGroups` grants everything of that kind, including "
          + "resources and verbs added later by upgrades and CRDs (`escalate`, `impersonate`, "
          + "`secrets`, `pods/exec`). The finding names the bindings and subjects that hold the role, or "
          + "says it is not bound in this scan. A rule granting every verb on every resource is one "
          + "finding here, not one per rule that it also breaks, and it weighs as the worst of them: "
          + "`critical`, since it includes `escalate`, `bind` and `impersonate`; a ClusterRole that adds every "
          + "non-resource URL amounts to cluster-admin and is said to. The upstream default roles "
          + "(`cluster-admin`, `system:*`, when their content is upstream's) are left out.")
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
    RbacPermissions.checkEverything(inventory, ctx, (rule, role, graph) -> wildcards(rule, role)
        .map(what -> new RbacPermissions.Verdict(what,
            RbacPermissions.grantsEverything(rule) ? Severity.CRITICAL : SPEC.severity())));
  }

  private static Optional<String> wildcards(PolicyRule rule, Role role) {
    boolean clusterAdmin = RbacPermissions.amountsToClusterAdmin(role);
    if (RbacPermissions.grantsEverything(rule)) {
      return Optional.of(clusterAdmin
          ? "amounts to cluster-admin: every verb on every resource of every API group, and with "
              + RbacPermissions.ruleWhere(role, RbacPermissions::grantsEveryUrl).orElseThrow()
              + " every non-resource URL"
          : "allows every verb on every resource of every API group");
    }
    if (clusterAdmin && RbacPermissions.grantsEveryUrl(rule)) {
      return Optional.empty(); // part of the cluster-admin finding above
    }
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
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.model.Severity;
import java.util.List;

/** Whoever can write bindings, or holds escalate or bind, can give themselves any right. */
public final class RbacEscalateBind implements RbacPermissions.RoleRule {
  private static final List<String> ESCALATE = List.of("escalate", "bind");
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final List<String> WRITE = List.of("create", "update", "patch");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-escalate-bind")
      .title("RBAC allows privilege escalation through roles or bindings")
      .severity(Severity.CRITICAL)
      .why("RBAC stops a subject from granting rights it does not hold, except when it holds "
          + "`escalate` (edit roles beyond its own rights) or `bind` (bind roles it does not hold) on "
          + "`roles`/`clusterroles`. Write access to `rolebindings`/`clusterrolebindings` is one "
          + "`bind` away from the same: with `bind` in the same role it is critical; without, the API "
          + "server's escalation check still lets the subject bind only roles whose rights it holds, "
          + "and the finding is medium. The finding names the bindings and subjects that hold the "
          + "role, or says it is not bound in this scan; the upstream default roles are left out.")
      .fix("Remove `escalate` and `bind`, and `create`/`update`/`patch` on (cluster)rolebindings, "
          + "from roles people or workloads hold; leave RBAC changes to cluster administrators.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping")
      .control("cis", "5.1.8")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    String group = RBAC_GROUP + "/";
    RbacPermissions.check(inventory, ctx, (rule, role, graph) -> RbacPermissions.allows(rule, ESCALATE,
        group + "roles", group + "clusterroles").map(what -> new RbacPermissions.Verdict(what, SPEC.severity()))
        .or(() -> RbacPermissions.allows(rule, WRITE, group + "rolebindings", group + "clusterrolebindings")
            .map(what -> RbacPermissions.ruleWhere(role, RbacEscalateBind::bindsRoles)
                .map(bind -> new RbacPermissions.Verdict(what + ", and with `bind` in " + bind + " it binds any role",
                    SPEC.severity()))
                .orElse(new RbacPermissions.Verdict(what + "; without `bind` the API server lets a subject bind "
                    + "only roles whose rights it already holds, so this alone escalates nothing", Severity.MEDIUM)))));
  }

  private static boolean bindsRoles(PolicyRule rule) {
    return rule.allowsVerb("bind") && (rule.covers(RBAC_GROUP, "roles", "") || rule.covers(RBAC_GROUP, "clusterroles", ""));
  }
}

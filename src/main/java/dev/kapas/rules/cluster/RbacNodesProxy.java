package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;

/** nodes/proxy is the kubelet API, which runs commands in pods without admission control. */
public final class RbacNodesProxy implements RbacPermissions.RoleRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-nodes-proxy")
      .title("RBAC grants access to nodes/proxy")
      .severity(Severity.HIGH)
      .why("Any verb on `nodes/proxy` reaches the kubelet API through the API server: it can run "
          + "commands in every pod of the node, bypassing admission control, and the API server audit "
          + "log does not record them as exec. The finding names the bindings and subjects that hold "
          + "the role, or says it is not bound in this scan; the upstream default roles are left out.")
      .fix("Remove `nodes/proxy`; monitoring agents that need node metrics can read `nodes/metrics` "
          + "and `nodes/stats`.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy")
      .control("cis", "5.1.10")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, SPEC,
        (rule, role, graph) -> RbacPermissions.allows(rule, rule.verbs(), "/nodes/proxy"));
  }
}

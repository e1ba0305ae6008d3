package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Severity;
import java.util.Optional;

/** cluster-admin is every right there is; it belongs to break-glass accounts, not to workloads. */
public final class RbacClusterAdminBinding implements RbacBindings.BindingRule {
  private static final String CLUSTER_ADMIN = "cluster-admin";
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-cluster-admin-binding")
      .title("RBAC binding grants cluster-admin")
      .severity(Severity.HIGH)
      .why("`cluster-admin` allows every verb on every resource: all Secrets, exec into every pod, "
          + "and changing RBAC itself. Bound through a RoleBinding it is still every right within "
          + "that namespace. Users and Groups named `system:*` are Kubernetes' own principals and are "
          + "left out, as are the upstream and kubeadm default bindings; ServiceAccounts are not left "
          + "out, since a token of theirs is the usual way in.")
      .fix("Bind a role with only the rights the subject needs (`admin`, `edit`, `view` or your "
          + "own); keep `cluster-admin` for a break-glass group used rarely and audited.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles")
      .control("cis", "5.1.1")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacBindings.check(inventory, ctx, (subject, binding) -> {
      boolean clusterAdmin = binding.roleKind().equals("ClusterRole") && binding.roleName().equals(CLUSTER_ADMIN);
      boolean systemPrincipal = !subject.kind().equals(Subject.SERVICE_ACCOUNT) && subject.name().startsWith("system:");
      return clusterAdmin && !systemPrincipal
          ? Optional.of("every right there is" + (binding.cluster() ? "" : " in that namespace"))
          : Optional.empty();
    });
  }
}

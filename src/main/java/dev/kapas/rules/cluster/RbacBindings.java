package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Binding;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.inventory.rbac.Role;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.KubeObject;
import java.util.Optional;

/**
 * The reusable half of the {@code cluster.rbac-*} rules about who a binding names: walks every
 * binding the user wrote (upstream defaults left out) and reports each subject the calling rule
 * objects to, at its {@code subjects[i]} entry.
 */
final class RbacBindings {

  /** A rule whose findings are about bindings (RoleBinding, ClusterRoleBinding) only. */
  interface BindingRule extends InventoryRule {
    @Override
    default boolean mayReportOn(KubeObject object) {
      return object.kind().equals("RoleBinding") || object.kind().equals("ClusterRoleBinding");
    }
  }

  /** Why the rule objects to {@code subject} in {@code binding}, in words; empty when it does not. */
  interface Test {
    Optional<String> check(Subject subject, Binding binding);
  }

  private RbacBindings() {}

  static void check(Inventory inventory, RuleContext ctx, Test test) {
    RbacGraph graph = inventory.rbac();
    for (Binding binding : graph.bindings()) {
      if (binding.upstreamDefault()) {
        continue;
      }
      ctx.evaluated(binding.object());
      for (Subject s : binding.subjects()) {
        test.check(s, binding).ifPresent(why -> ctx.fail(binding.object(), s.at(),
            binding.display() + " grants " + role(binding, graph) + scope(binding) + " to "
                + s.display() + ", " + why));
      }
    }
  }

  /** {@code ClusterRole `view`}, noting when the scan did not read it. */
  static String role(Binding binding, RbacGraph graph) {
    Optional<Role> role = graph.role(binding);
    return role.map(Role::display).orElse(binding.roleKind() + " `" + binding.roleName() + "`"
        + " (not in this scan)");
  }

  static String scope(Binding binding) {
    return binding.cluster() ? " cluster-wide" : " in namespace " + binding.namespace();
  }
}

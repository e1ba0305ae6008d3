package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;

/** Exec into a pod is a shell with the pod's identity, mounts and network position. */
public final class RbacPodExec implements InventoryRule {
  private static final List<String> EXEC = List.of("create", "get");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-pod-exec")
      .title("RBAC allows exec or attach into pods")
      .severity(Severity.HIGH)
      .why("`create` on `pods/exec` or `pods/attach` runs commands in any pod in scope, with its "
          + "ServiceAccount token, mounted Secrets and network position. `get` counts too: WebSocket "
          + "clients were authorised with `get` before Kubernetes 1.31. The finding names the "
          + "bindings and subjects that hold the role, or says it is not bound in this scan; the "
          + "upstream default roles are left out.")
      .fix("Remove `pods/exec` and `pods/attach` from the role; grant debugging access to people for "
          + "a limited time, in the namespaces they own.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#exec-into-pods")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx,
        (rule, role, graph) -> RbacPermissions.allows(rule, EXEC, "/pods/exec", "/pods/attach"));
  }
}

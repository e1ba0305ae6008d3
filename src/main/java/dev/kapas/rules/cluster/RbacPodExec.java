package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Exec into a pod is a shell with the pod's identity, mounts and network position. */
public final class RbacPodExec implements RbacPermissions.RoleRule {
  private static final List<String> CREATE = List.of("create");
  private static final List<String> GET = List.of("get");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-pod-exec")
      .title("RBAC allows exec or attach into pods")
      .severity(Severity.HIGH)
      .why("`create` on `pods/exec` or `pods/attach` runs commands in any pod in scope, with its "
          + "ServiceAccount token, mounted Secrets and network position. `get` counts too when the "
          + "rule names the subresource: WebSocket clients were authorised with `get` before "
          + "Kubernetes 1.31 (read-only rules over resources `*` are left to cluster.rbac-wildcard). "
          + "The finding names the "
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
    // `get` on resources `*` is what read-only roles write; it counts only when exec is named
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> RbacPermissions.allows(rule, CREATE,
        "/pods/exec", "/pods/attach")
        .or(() -> rule.resources().contains(PolicyRule.ALL) ? Optional.empty()
            : RbacPermissions.allows(rule, GET, "/pods/exec", "/pods/attach")));
  }
}

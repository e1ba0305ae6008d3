package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Reading Secrets reads every credential in scope, ServiceAccount tokens included. */
public final class RbacSecretsRead implements RbacPermissions.RoleRule {
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-secrets-read")
      .title("RBAC grants read access to Secrets")
      .severity(Severity.HIGH)
      .why("`get`, `list` or `watch` on `secrets` reads every Secret in scope: database passwords, "
          + "TLS keys, registry credentials and long-lived ServiceAccount tokens, which lead to other "
          + "identities. A rule limited by `resourceNames` (a workload reading its own Secret) is "
          + "least privilege done right and is not reported. The finding names the bindings and "
          + "subjects that hold the role, or says it is not bound in this scan; the upstream default "
          + "roles are left out.")
      .fix("Drop `get`/`list`/`watch` on `secrets`, or limit the rule to the Secrets the workload "
          + "needs with `resourceNames`; mount Secrets into pods instead of reading them through the "
          + "API.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets")
      .control("cis", "5.1.2")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> rule.restrictedToNames()
        ? Optional.empty() : RbacPermissions.allows(rule, READ, "/secrets"));
  }
}

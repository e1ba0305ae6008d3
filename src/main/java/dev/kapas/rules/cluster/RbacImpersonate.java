package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Impersonation is acting as someone else, with all of their rights. */
public final class RbacImpersonate implements RbacPermissions.RoleRule {
  private static final List<String> IMPERSONATE = List.of("impersonate");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-impersonate")
      .title("RBAC allows impersonation")
      .severity(Severity.HIGH)
      .why("`impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or `userextras` lets a "
          + "subject send requests as another identity, `system:masters` included, so its real rights "
          + "are those of the most powerful identity it can name. The finding names the bindings and "
          + "subjects that hold the role, or says it is not bound in this scan; the upstream default "
          + "roles are left out.")
      .fix("Remove `impersonate`; where an authenticating proxy needs it, limit it with "
          + "`resourceNames` to the identities it serves.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb")
      .control("cis", "5.1.8")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> RbacPermissions.allows(rule, IMPERSONATE,
        "/users", "/groups", "/serviceaccounts", "authentication.k8s.io/uids",
        "authentication.k8s.io/userextras")
        .or(() -> rule.allowsAnyVerb(IMPERSONATE) && rule.coversGroup("authentication.k8s.io")
            && rule.resources().stream().anyMatch(r -> r.startsWith("userextras/"))
            ? Optional.of("allows `impersonate` on " + RbacPermissions.words(rule.resources()))
            : Optional.empty()));
  }
}

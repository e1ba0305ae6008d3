package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;

/** Minting tokens or approving certificates creates credentials for other identities. */
public final class RbacTokenCreate implements RbacPermissions.RoleRule {
  private static final List<String> CREATE = List.of("create");
  private static final List<String> APPROVE = List.of("approve");
  private static final List<String> UPDATE = List.of("update", "patch");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-token-create")
      .title("RBAC allows minting ServiceAccount tokens or approving certificates")
      .severity(Severity.HIGH)
      .why("`create` on `serviceaccounts/token` issues tokens for any ServiceAccount in scope; "
          + "`approve` on certificate `signers` together with `update` on "
          + "`certificatesigningrequests/approval` approves client certificates that may name any "
          + "user or group (`approve` without that `update` is medium: another role must add it; the "
          + "`update` alone approves nothing and is not reported). Either is a credential for someone else. The finding names the bindings "
          + "and subjects that hold the role, or says it is not bound in this scan; the upstream "
          + "default roles are left out.")
      .fix("Remove these rights from roles people and workloads hold; let only the control plane "
          + "issue tokens and approve certificates.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request")
      .control("cis", "5.1.11")
      .control("cis", "5.1.13")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    String certificates = "certificates.k8s.io/";
    RbacPermissions.check(inventory, ctx, (rule, role, graph) -> RbacPermissions.allows(rule, CREATE,
        "/serviceaccounts/token").map(what -> new RbacPermissions.Verdict(what, SPEC.severity()))
        .or(() -> RbacPermissions.allows(rule, APPROVE, certificates + "signers")
            .map(what -> RbacPermissions.ruleWhere(role, r -> r.allowsAnyVerb(UPDATE)
                    && r.covers("certificates.k8s.io", "certificatesigningrequests", "approval"))
                .map(update -> new RbacPermissions.Verdict(what + ", and with `update` on "
                    + "`certificatesigningrequests/approval` in " + update + " it approves certificates", SPEC.severity()))
                .orElse(new RbacPermissions.Verdict(what + "; approving also takes `update` on "
                    + "`certificatesigningrequests/approval`, which this role does not grant", Severity.MEDIUM)))));
  }
}

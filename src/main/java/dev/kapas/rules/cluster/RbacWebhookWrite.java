package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;

/** An admission webhook sees, and may rewrite, every object sent to the API server. */
public final class RbacWebhookWrite implements RbacPermissions.RoleRule {
  private static final List<String> WRITE = List.of("create", "update", "patch", "delete",
      "deletecollection");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-webhook-write")
      .title("RBAC allows changing admission webhooks")
      .severity(Severity.HIGH)
      .why("Write access to `validatingwebhookconfigurations` or `mutatingwebhookconfigurations` can "
          + "send every API request (Secrets included) to a server of the subject's choosing, mutate "
          + "pods on their way in, or delete the webhooks that enforce policy. The finding names the "
          + "bindings and subjects that hold the role, or says it is not bound in this scan; the "
          + "upstream default roles are left out.")
      .fix("Leave webhook configuration to cluster administrators and to the operator that owns each "
          + "webhook, limited with `resourceNames` to its own configuration.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/")
      .control("cis", "5.1.12")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    String group = "admissionregistration.k8s.io/";
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> RbacPermissions.allows(rule, WRITE,
        group + "validatingwebhookconfigurations", group + "mutatingwebhookconfigurations"));
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Severity;
import java.util.Optional;

/** The default ServiceAccount is every pod's that names none: its rights go to all of them. */
public final class RbacDefaultSaBinding implements RbacBindings.BindingRule {
  private static final String DEFAULT = "default";
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-default-sa-binding")
      .title("RBAC binding grants rights to a default ServiceAccount")
      .severity(Severity.MEDIUM)
      .why("Every pod that names no ServiceAccount runs as `default` of its namespace, so rights "
          + "bound to it go to every such pod, now and later, and to anyone who can create a pod "
          + "there. Every form counts: a ServiceAccount subject named `default` (its namespace "
          + "defaulting to the RoleBinding's), User `system:serviceaccount:NS:default`, and the Groups "
          + "`system:serviceaccounts` and `system:serviceaccounts:NS`, which take in every ServiceAccount.")
      .fix("Create a ServiceAccount for the workload that needs the rights, bind the role to it and "
          + "set `serviceAccountName` in its pod spec; leave `default` without bindings.")
      .refs("https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts")
      .control("cis", "5.1.5")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacBindings.check(inventory, ctx, (subject, binding) -> {
      boolean account = subject.kind().equals(Subject.SERVICE_ACCOUNT) && subject.name().equals(DEFAULT);
      boolean user = subject.kind().equals(Subject.USER) && subject.name().startsWith("system:serviceaccount:")
          && subject.name().endsWith(":" + DEFAULT);
      if (account || user) {
        return Optional.of("the identity of every pod there that names no ServiceAccount");
      }
      boolean everyAccount = subject.kind().equals(Subject.GROUP)
          && (subject.name().equals("system:serviceaccounts") || subject.name().startsWith("system:serviceaccounts:"));
      return everyAccount
          ? Optional.of("which takes in every ServiceAccount " + (subject.name().equals("system:serviceaccounts") ? "of the cluster"
              : "of namespace " + subject.name().substring("system:serviceaccounts:".length()))
              + ", `default` included")
          : Optional.empty();
    });
  }
}

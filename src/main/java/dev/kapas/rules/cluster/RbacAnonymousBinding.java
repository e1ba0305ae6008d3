package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Severity;
import java.util.Optional;

/** Rights bound to the anonymous user are rights for anyone who can reach the API server. */
public final class RbacAnonymousBinding implements RbacBindings.BindingRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-anonymous-binding")
      .title("RBAC binding grants rights to anonymous users")
      .severity(Severity.CRITICAL)
      .why("With anonymous authentication on (the API server default), a request without "
          + "credentials is User `system:anonymous` in Group `system:unauthenticated`. A binding to "
          + "either gives its role to anyone who can reach the API server. The upstream defaults "
          + "that do so on purpose (`system:public-info-viewer`, kubeadm's `cluster-info` ConfigMap "
          + "in `kube-public`) are left out.")
      .fix("Remove the `system:anonymous` and `system:unauthenticated` subjects; bind the role to "
          + "the authenticated users or groups that need it.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacBindings.check(inventory, ctx, (subject, binding) -> {
      if (subject.kind().equals(Subject.USER) && subject.name().equals("system:anonymous")) {
        return Optional.of("which is every request without credentials");
      }
      if (subject.kind().equals(Subject.GROUP) && subject.name().equals("system:unauthenticated")) {
        return Optional.of("which takes in every request without credentials");
      }
      return Optional.empty();
    });
  }
}

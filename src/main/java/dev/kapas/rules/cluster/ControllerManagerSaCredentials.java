package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** Controllers share one powerful identity, or ServiceAccount tokens lack their key or CA. */
public final class ControllerManagerSaCredentials extends ComponentRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.controller-manager-sa-credentials")
      .title("Controller manager runs controllers under one identity, or lacks the ServiceAccount key or root CA")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("Without --use-service-account-credentials every controller acts with the controller "
          + "manager's own broad credentials instead of its own least-privilege ServiceAccount; without "
          + "--service-account-private-key-file it cannot sign tokens, and without --root-ca-file pods "
          + "cannot verify the API server.")
      .fix("Set --use-service-account-credentials=true, --service-account-private-key-file and "
          + "--root-ca-file on kube-controller-manager (kubeadm sets all three).")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles")
      .control("cis", "1.3.3")
      .control("cis", "1.3.4")
      .control("cis", "1.3.5")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  List<Component> components() {
    return List.of(Component.CONTROLLER_MANAGER);
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("1.3.3", List.of("use-service-account-credentials"),
        "1.3.4", List.of("service-account-private-key-file"), "1.3.5", List.of("root-ca-file"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (!fact.flags().isTrue("use-service-account-credentials")) {
      fail(ctx, fact, "use-service-account-credentials", setting(fact, "use-service-account-credentials"));
    }
    requireSet(ctx, fact, "service-account-private-key-file", "root-ca-file");
  }
}

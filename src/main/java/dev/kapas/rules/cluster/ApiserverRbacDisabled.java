package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.ArrayList;
import java.util.List;

/** Authorization without RBAC or Node, or with ABAC. */
public final class ApiserverRbacDisabled extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-rbac-disabled")
      .title("API server authorization lacks RBAC or Node, or uses ABAC")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without RBAC the cluster's Roles and bindings mean nothing; without the Node authorizer "
          + "a kubelet's credentials read every Secret in the cluster instead of its own pods'; ABAC "
          + "policies live in a file on the control plane that nobody reviews.")
      .fix("Set `--authorization-mode=Node,RBAC` (add Webhook if you use one) and remove "
          + "--authorization-policy-file.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/node/")
      .control("cis", "1.2.7")
      .control("cis", "1.2.8")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** CIS 1.2.7 asks for Node, 1.2.8 for RBAC; ABAC fails both. */
  @Override
  public boolean fails(Finding finding, String control) {
    String m = finding.message();
    return m.contains("ABAC") || m.contains(control.equals("1.2.7") ? "lacks Node" : "lacks RBAC");
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    List<String> modes = fact.flags().list("authorization-mode");
    List<String> problems = new ArrayList<>();
    if (!modes.contains("Node")) {
      problems.add("lacks Node");
    }
    if (!modes.contains("RBAC")) {
      problems.add("lacks RBAC");
    }
    if (modes.contains("ABAC")) {
      problems.add("includes ABAC");
    }
    if (!problems.isEmpty()) {
      fail(ctx, fact, "authorization-mode", setting(fact, "authorization-mode") + ": "
          + String.join(", ", problems));
    }
  }
}

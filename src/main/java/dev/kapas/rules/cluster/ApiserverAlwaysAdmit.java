package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;

/** AlwaysAdmit on, or NodeRestriction off. */
public final class ApiserverAlwaysAdmit extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-always-admit")
      .title("API server admits everything, or lacks NodeRestriction")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("AlwaysAdmit disables admission control. Without NodeRestriction a kubelet may modify any "
          + "Node and Pod object, so one compromised node can relabel others and attract workloads.")
      .fix("Remove AlwaysAdmit from --enable-admission-plugins and add NodeRestriction "
          + "(`--enable-admission-plugins=NodeRestriction`).")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction")
      .control("cis", "1.2.10")
      .control("cis", "1.2.14")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** CIS 1.2.10 is about AlwaysAdmit, 1.2.14 about NodeRestriction. */
  @Override
  public boolean fails(Finding finding, String control) {
    return finding.message().contains(control.equals("1.2.10") ? "AlwaysAdmit" : "NodeRestriction");
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    List<String> enabled = fact.flags().list("enable-admission-plugins");
    List<String> disabled = fact.flags().list("disable-admission-plugins");
    if (enabled.contains("AlwaysAdmit")) {
      fail(ctx, fact, "enable-admission-plugins", "enables the AlwaysAdmit admission plugin");
    }
    if (!enabled.contains("NodeRestriction") || disabled.contains("NodeRestriction")) {
      String flag = disabled.contains("NodeRestriction") ? "disable-admission-plugins" : "enable-admission-plugins";
      fail(ctx, fact, flag, "does not enable the NodeRestriction admission plugin ("
          + setting(fact, flag).replaceFirst("^sets ", "") + ")");
    }
  }
}

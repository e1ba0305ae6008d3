package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;

/** No audit log backend. */
public final class ApiserverAuditLog extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-audit-log")
      .title("API server writes no audit log")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without an audit log (file or webhook backend) nobody can tell afterwards who read a Secret, "
          + "created a privileged pod or changed a binding.")
      .fix("Set --audit-log-path (or --audit-webhook-config-file) together with --audit-policy-file.")
      .refs("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/")
      .control("cis", "1.2.16")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (!fact.flags().isSet("audit-log-path") && !fact.flags().isSet("audit-webhook-config-file")) {
      fail(ctx, fact, "audit-log-path", "sets neither --audit-log-path nor --audit-webhook-config-file");
    }
  }
}

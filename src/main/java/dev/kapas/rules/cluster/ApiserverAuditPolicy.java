package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.AuditPolicyFact;
import dev.kapas.source.node.ComponentFact;
import java.util.Optional;

/** No audit policy, or one that logs nothing. */
public final class ApiserverAuditPolicy extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-audit-policy")
      .title("API server has no audit policy, or it logs nothing")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("Without --audit-policy-file the API server audits nothing even with a log path set; a "
          + "policy whose rules are all `level: None` does the same while looking configured.")
      .fix("Point --audit-policy-file at a Policy that logs at least Metadata for all requests "
          + "(and Request or RequestResponse for Secrets, RBAC and pods/exec as your retention allows).")
      .refs("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy")
      .control("cis", "3.2.1")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    Optional<String> declared = fact.flags().get("audit-policy-file").map(f -> f.value()).filter(v -> !v.isBlank());
    if (declared.isEmpty()) {
      fail(ctx, fact, "audit-policy-file", "does not set --audit-policy-file");
      return;
    }
    // The policy is judged where it was read; a mirror pod's policy file is not readable from here.
    ctx.inventory().facts(AuditPolicyFact.class).stream()
        .filter(p -> p.declared().equals(declared.get()) && !p.logsAnything())
        .findFirst()
        .ifPresent(p -> ctx.fail(p.levels().isEmpty() ? p.at() : p.levels().get(0).at(),
            "audit policy " + p.name() + " logs nothing at Metadata level or above ("
                + (p.levels().isEmpty() ? "no rules" : "every rule is level None") + ")"));
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;

/** The default ServiceAccount is shared by every pod of the namespace that names none. */
public final class DefaultServiceAccount implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.default-service-account")
      .title("Pod runs as the default ServiceAccount")
      .severity(Severity.LOW)
      .why("Every pod that names no ServiceAccount runs as its namespace's `default` one, so any "
          + "right granted to it (often by a careless RoleBinding) goes to all of them, and "
          + "audit logs cannot tell the workloads apart.")
      .fix("Create a ServiceAccount per workload, set `serviceAccountName`, and grant it only "
          + "what the workload needs; leave `default` without bindings.")
      .refs("https://kubernetes.io/docs/concepts/security/service-accounts/")
      .control("cis", "5.1.5")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    Field named = PodServiceAccount.field(pod);
    if (PodServiceAccount.name(pod).equals(PodServiceAccount.DEFAULT)) {
      ctx.fail(named, named.node().text().isPresent()
          ? "pod names the `default` ServiceAccount"
          : "pod sets no serviceAccountName, so it runs as the `default` ServiceAccount");
    }
  }
}

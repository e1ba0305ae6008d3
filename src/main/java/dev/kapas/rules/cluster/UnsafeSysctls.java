package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "Sysctls": only the namespaced, safe set for the version. */
public final class UnsafeSysctls implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.unsafe-sysctls")
      .title("Pod sets an unsafe sysctl")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("Sysctls outside the safe set are not isolated per pod: they change kernel settings "
          + "shared with other pods on the node, or can exhaust or weaken the node.")
      .fix("Remove the sysctl from `securityContext.sysctls`, or tune it on the node instead.")
      .control("nsa", "Pod security: pod security enforcement")
      .refs(PodSecurity.BASELINE_DOC,
          "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (Field sysctl : PodSecurity.items(pod.securityContext().get("sysctls"))) {
      Field name = sysctl.get("name");
      if (!PodSecurity.safeSysctl(PodSecurity.text(name), ctx.pssVersion())) {
        ctx.fail(name, "the pod sets sysctl `" + PodSecurity.text(name) + "`, outside the safe set of "
            + ctx.pssVersion());
      }
    }
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS restricted "/proc Mount Type" (v1.35+): no unmasked /proc, user namespace or not. */
public final class ProcMountRestricted implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.proc-mount-restricted")
      .title("Container unmasks /proc (restricted)")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.RESTRICTED, 35)
      .why("Restricted keeps the default /proc masks even for pods in a user namespace, where "
          + "baseline allows an Unmasked /proc.")
      .fix("Remove `securityContext.procMount` or set it to Default.")
      .control("nsa", "Pod security: pod security enforcement")
      .refs(PodSecurity.RESTRICTED_DOC)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    PodSecurity.reportUnmaskedProcMount(container, ctx);
  }
}

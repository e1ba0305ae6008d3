package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "/proc Mount Type"; user-namespaced pods may unmask /proc from v1.35. */
public final class ProcMount implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.proc-mount")
      .title("Container unmasks /proc")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("The default /proc mount masks paths such as /proc/kcore and /proc/sysrq-trigger; "
          + "an Unmasked /proc exposes host kernel information and controls to the container.")
      .fix("Remove `securityContext.procMount` or set it to Default.")
      .control("nsa", "Pod security: pod security enforcement")
      .refs(PodSecurity.BASELINE_DOC)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (PodSecurity.userNamespaceRelaxed(container.pod(), ctx.pssVersion())) {
      return;
    }
    PodSecurity.reportUnmaskedProcMount(container, ctx);
  }
}

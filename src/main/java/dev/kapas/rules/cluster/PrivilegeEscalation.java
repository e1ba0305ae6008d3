package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS restricted "Privilege Escalation" (v1.8+); Windows pods are exempt from v1.25. */
public final class PrivilegeEscalation implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.privilege-escalation")
      .title("Container may gain more privileges than its parent process")
      .severity(Severity.HIGH)
      .pss(PssLevel.RESTRICTED, 8)
      .why("Unless allowPrivilegeEscalation is false, no_new_privs is not set: setuid binaries "
          + "and file capabilities in the image can raise a process's privileges inside the container.")
      .fix("Set `securityContext.allowPrivilegeEscalation: false` on every container.")
      .refs(PodSecurity.RESTRICTED_DOC)
      .control("cis", "5.2.6")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (PodSecurity.exemptWindows(container.pod(), ctx, false)) {
      return;
    }
    Field ape = container.securityContext().get("allowPrivilegeEscalation");
    if (ape.node().isFalse()) {
      return;
    }
    ctx.fail(ape, PodSecurity.set(ape).isPresent()
        ? container.label() + " sets `allowPrivilegeEscalation: " + PodSecurity.text(ape) + "`"
        : container.label() + " does not set `allowPrivilegeEscalation: false`");
  }
}

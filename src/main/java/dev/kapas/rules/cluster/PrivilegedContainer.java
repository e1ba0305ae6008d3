package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;

/** PSS baseline "Privileged Containers". */
public final class PrivilegedContainer implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.privileged-container")
      .title("Privileged container")
      .severity(Severity.CRITICAL)
      .pss(PssLevel.BASELINE, 0)
      .why("A privileged container runs with every capability and sees the host's devices: it "
          + "can load kernel modules, mount the host filesystem and escape to the node.")
      .fix("Remove `securityContext.privileged: true`; grant only the specific capabilities the "
          + "workload needs.")
      .refs("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline")
      .control("cis", "5.2.2")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    Field privileged = container.securityContext().get("privileged");
    if (privileged.node().isTrue()) {
      ctx.fail(privileged, container.label() + " sets `privileged: true`");
    }
  }
}

package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/**
 * PSS restricted "Seccomp" (v1.19+): every container must have a RuntimeDefault or Localhost
 * profile, set on it or inherited from the pod. Windows pods are exempt from v1.25.
 */
public final class SeccompMissing implements PodRule {
  private static final PodSecurity.PodOrEveryContainer REQUIREMENT = new PodSecurity.PodOrEveryContainer(
      "seccompProfile", PodSecurity::confiningProfile, (Field p) -> p.get("type"),
      "seccompProfile.type: RuntimeDefault` or `Localhost");
  private static final RuleSpec SPEC = RuleSpec.rule("container.seccomp-missing")
      .title("Container runs without a seccomp profile")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.RESTRICTED, 19)
      .why("Without a seccomp profile a container may make every system call; the runtime "
          + "default profile blocks the ones most kernel exploits need at almost no cost.")
      .fix("Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or Localhost "
          + "with a profile on the node).")
      .refs(PodSecurity.RESTRICTED_DOC,
          "https://kubernetes.io/docs/tutorials/security/seccomp/")
      .control("cis", "5.7.2")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    if (!PodSecurity.exemptWindows(pod, ctx, false)) {
      REQUIREMENT.check(pod, ctx);
    }
  }
}

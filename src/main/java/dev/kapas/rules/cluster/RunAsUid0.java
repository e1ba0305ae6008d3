package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS restricted "Running as Non-root user" (v1.23+); pods in a user namespace are exempt from v1.35. */
public final class RunAsUid0 implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.run-as-uid-0")
      .title("Pod or container runs as UID 0")
      .severity(Severity.HIGH)
      .pss(PssLevel.RESTRICTED, 23)
      .why("runAsUser: 0 runs the container as root whatever the image says.")
      .fix("Set `runAsUser` to a non-zero UID, or remove it and let the image's non-root user apply.")
      .refs(PodSecurity.RESTRICTED_DOC)
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    if (PodSecurity.userNamespaceRelaxed(pod, ctx.pssVersion())) {
      return;
    }
    for (PodSecurity.Owner owner : PodSecurity.securityContexts(pod)) {
      Field runAsUser = owner.securityContext().get("runAsUser");
      if (runAsUser.node().asLong().filter(uid -> uid == 0).isPresent()) {
        ctx.fail(runAsUser, owner.who() + " sets `runAsUser: 0`");
      }
    }
  }
}

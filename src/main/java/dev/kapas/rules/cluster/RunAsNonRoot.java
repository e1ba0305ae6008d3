package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;
import java.util.function.UnaryOperator;

/**
 * PSS restricted "Running as Non-root": every container must run with runAsNonRoot: true, set on
 * it or inherited from the pod, and nothing may set it to false. Pods in a user namespace are
 * exempt from v1.35.
 */
public final class RunAsNonRoot implements PodRule {
  private static final PodSecurity.PodOrEveryContainer REQUIREMENT = new PodSecurity.PodOrEveryContainer(
      "runAsNonRoot", Node::isTrue, UnaryOperator.identity(), "runAsNonRoot: true");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.run-as-non-root")
      .title("Container may run as root")
      .severity(Severity.HIGH)
      .pss(PssLevel.RESTRICTED, 0)
      .why("Without runAsNonRoot: true the kubelet lets a container start as UID 0 when its image "
          + "says so; root in a container is root on the node once anything else goes wrong.")
      .fix("Set `securityContext.runAsNonRoot: true` on the pod (or on every container), and "
          + "make the image run as a non-zero UID.")
      .refs(PodSecurity.RESTRICTED_DOC)
      .control("cis", "5.2.7")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    if (!PodSecurity.userNamespaceRelaxed(pod, ctx.pssVersion())) {
      REQUIREMENT.check(pod, ctx);
    }
  }
}

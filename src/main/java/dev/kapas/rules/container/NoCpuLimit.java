package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;

/** A container without a CPU limit can starve its neighbours of CPU. */
public final class NoCpuLimit implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.no-cpu-limit")
      .title("Container without a CPU limit")
      .severity(Severity.LOW)
      .why("Without `resources.limits.cpu` a busy container can use every core its node has left, "
          + "slowing the kubelet and other pods. Low severity: CPU is compressible (requests still "
          + "guarantee shares) and some teams drop CPU limits on purpose to avoid throttling. Init "
          + "containers are checked; ephemeral (debug) containers are not, as Kubernetes forbids "
          + "resources on them. A pod-level `spec.resources.limits.cpu` satisfies the rule.")
      .fix("Set `resources.limits.cpu` on every container (and init container), or a pod-level "
          + "`spec.resources.limits.cpu`; or disable this rule if you rely on requests alone.")
      .refs("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/")
      .control("nsa", "Network separation and hardening: resource policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    ResourceSettings.checkLimit(container, "cpu", ctx);
  }
}

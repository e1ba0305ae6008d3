package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;

/** A container without a memory limit can exhaust its node's memory. */
public final class NoMemoryLimit implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.no-memory-limit")
      .title("Container without a memory limit")
      .severity(Severity.MEDIUM)
      .why("Without `resources.limits.memory` the container's cgroup is unbounded: a leak or a "
          + "hostile input can take the node's memory, get neighbours OOM-killed and evict pods "
          + "(a denial of service). Init containers are checked too; ephemeral (debug) containers "
          + "are not, as Kubernetes forbids resources on them. A pod-level `spec.resources.limits."
          + "memory` bounds every container and satisfies the rule; a limit of 0 is no limit.")
      .fix("Set `resources.limits.memory` on every container (and init container), sized from "
          + "observed usage, or a pod-level `spec.resources.limits.memory`.")
      .refs("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/")
      .control("nsa", "Network separation and hardening: resource policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    ResourceSettings.checkLimit(container, "memory", ctx);
  }
}

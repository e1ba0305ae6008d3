package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;

/** A container without CPU or memory requests is scheduled blind and evicted first. */
public final class NoResourceRequests implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.no-resource-requests")
      .title("Container without CPU or memory requests")
      .severity(Severity.LOW)
      .why("Requests tell the scheduler what a container needs; without them pods are packed onto "
          + "nodes that cannot hold them and are the first evicted under pressure (BestEffort). "
          + "Both a cpu and a memory request are expected. A request left out defaults to the "
          + "limit when one is set, as Kubernetes does, and pod-level `spec.resources` counts. "
          + "Ephemeral (debug) containers are not checked: Kubernetes forbids resources on them.")
      .fix("Set `resources.requests.cpu` and `resources.requests.memory` on every container and "
          + "init container, from observed usage.")
      .refs("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/")
      .control("nsa", "Network separation and hardening: resource policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (!ResourceSettings.applies(container)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String resource : List.of("cpu", "memory")) {
      if (!ResourceSettings.hasRequest(container, resource)) {
        missing.add(resource);
      }
    }
    if (!missing.isEmpty()) {
      ctx.fail(container.get("resources", "requests"),
          container.label() + " sets no " + String.join(" or ", missing) + " request");
    }
  }
}

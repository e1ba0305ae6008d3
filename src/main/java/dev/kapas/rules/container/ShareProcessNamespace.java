package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import java.util.stream.Collectors;

/** One process namespace for the whole pod removes the isolation between its containers. */
public final class ShareProcessNamespace implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.share-process-namespace")
      .title("Containers share one process namespace")
      .severity(Severity.MEDIUM)
      .why("With `shareProcessNamespace: true` every container of the pod sees, signals and (with "
          + "SYS_PTRACE) debugs every other container's processes, and reads their environment "
          + "and filesystem through /proc/<pid>/root: a compromised sidecar reaches the secrets "
          + "of the main container.")
      .fix("Remove `shareProcessNamespace: true`; for debugging use `kubectl debug --target`, "
          + "which shares one container's namespace for the time of the session.")
      .refs("https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    Field shared = pod.spec().get("shareProcessNamespace");
    if (shared.node().isTrue()) {
      String who = pod.containers().stream().map(ContainerView::label).collect(Collectors.joining(", "));
      ctx.fail(shared, "pod sets `shareProcessNamespace: true`, so its containers (" + who
          + ") and the pod's pause process see each other's processes");
    }
  }
}

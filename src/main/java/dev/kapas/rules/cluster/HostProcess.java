package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "HostProcess": Windows HostProcess containers run as the node. */
public final class HostProcess implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.host-process")
      .title("Windows HostProcess container")
      .severity(Severity.CRITICAL)
      .pss(PssLevel.BASELINE, 0)
      .why("A Windows HostProcess container runs directly on the node, as a node account, with "
          + "access to the host's network, processes and files: it is privileged access to the node.")
      .fix("Remove `securityContext.windowsOptions.hostProcess: true` from the pod and its "
          + "containers; run node-management tasks outside ordinary workloads.")
      .refs(PodSecurity.BASELINE_DOC)
      .control("cis", "5.2.11")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (PodSecurity.Owner owner : PodSecurity.securityContexts(pod)) {
      Field hostProcess = owner.securityContext().path("windowsOptions", "hostProcess");
      if (hostProcess.node().isTrue()) {
        ctx.fail(hostProcess, owner.who() + " sets `windowsOptions.hostProcess: true`");
      }
    }
  }
}

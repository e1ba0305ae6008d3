package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "Host Ports". */
public final class HostPorts implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.host-ports")
      .title("Container binds a host port")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.BASELINE, 0)
      .why("A hostPort opens the port on the node's own address, bypassing Services and most "
          + "NetworkPolicy implementations, and pins the pod to nodes where the port is free.")
      .fix("Remove `hostPort` (or set it to 0) and expose the container through a Service.")
      .refs(PodSecurity.BASELINE_DOC)
      .control("cis", "5.2.13")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    for (Field port : PodSecurity.items(container.get("ports"))) {
      Field hostPort = port.get("hostPort");
      hostPort.node().asLong().filter(p -> p != 0).ifPresent(p ->
          ctx.fail(hostPort, container.label() + " binds host port " + p));
    }
  }
}

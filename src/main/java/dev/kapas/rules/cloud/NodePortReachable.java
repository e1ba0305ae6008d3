package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;
import dev.kapas.source.probe.Ports;

/** A NodePort accepts connections. */
public final class NodePortReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.nodeport-reachable")
      .title("NodePort reachable")
      .severity(Severity.LOW)
      .input(Input.PROBE)
      .why("A NodePort opens the Service on every node's address, around any load balancer, WAF or "
          + "Ingress authentication in front of it. Reachable from where kapas runs, it is probably "
          + "reachable from wider than intended.")
      .fix("Expose the Service through a LoadBalancer or Ingress instead, or firewall 30000-32767 on the "
          + "nodes to the load balancers that need it.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.NODEPORT;
  }

  @Override
  public boolean appliesTo(PortFact fact) {
    return Ports.isNodePort(fact.port());
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (fact.open()) {
      String what = fact.component() == Component.NODEPORT || fact.component() == Component.UNKNOWN
          ? "" : " (" + fact.component().label() + ", identified by " + fact.identifiedBy() + ")";
      String evidence = fact.firstHttp().map(a -> "; " + a.evidence()).orElse("");
      fail(ctx, fact, "tcp", "NodePort " + fact.hostPort() + " accepts connections" + what + evidence);
    }
  }
}

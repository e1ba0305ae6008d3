package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import java.util.List;

/** A NodePort opens the service on every node's address, past most ingress controls. */
public final class ServiceNodePort implements ObjectRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.service-nodeport")
      .title("Service of type NodePort")
      .severity(Severity.MEDIUM)
      .why("A NodePort Service listens on a port between 30000 and 32767 on every node of the "
          + "cluster, on all of the node's addresses. Whoever can reach any node reaches the "
          + "service, bypassing the Ingress (and its TLS, authentication and logging), and node "
          + "firewalls must be kept in step with every new Service.")
      .fix("Use `type: ClusterIP` and expose the application through an Ingress or Gateway, or a "
          + "LoadBalancer with `loadBalancerSourceRanges` when it must be reached from outside.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport")
      .control("nsa", "Network separation and hardening")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return object.kind().equals("Service") && object.apiVersion().equals("v1");
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Field type = Field.root(object.root()).path("spec", "type");
    if (!type.node().textOr("").equals("NodePort")) {
      return;
    }
    List<String> fixed = object.root().path("spec", "ports").items().stream()
        .map(p -> p.get("nodePort")).filter(Node::isPresent).map(n -> n.textOr("?")).toList();
    ctx.fail(type, "Service `" + object.name() + "` is of type NodePort, so it listens on "
        + (fixed.isEmpty() ? "a port in 30000-32767" : "port " + String.join(", ", fixed))
        + " of every node");
  }
}

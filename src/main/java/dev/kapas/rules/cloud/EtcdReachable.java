package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** etcd accepts connections from where kapas runs. */
public final class EtcdReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.etcd-reachable")
      .title("etcd reachable")
      .severity(Severity.HIGH)
      .input(Input.PROBE)
      .why("etcd holds every Secret of the cluster. Only the API servers (client port) and the other "
          + "etcd members (peer port) need to reach it; from anywhere else an open port is a target for "
          + "stolen client certificates and etcd vulnerabilities.")
      .fix("Firewall etcd's client (2379) and peer (2380) ports to the control-plane nodes; listen on "
          + "internal addresses only (`--listen-client-urls`, `--listen-peer-urls`).")
      .refs("https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.ETCD;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.ETCD)) {
      String evidence = fact.firstHttp().map(a -> ": " + a.evidence())
          .orElse(fact.clientCertRequired() ? ": TCP connect and TLS handshake succeed" : ": TCP connect succeeds");
      fail(ctx, fact, "tcp", fact.describe() + evidence);
    }
  }
}

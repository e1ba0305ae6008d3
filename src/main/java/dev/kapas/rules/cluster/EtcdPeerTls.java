package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** etcd members talk to each other without certificate authentication. */
public final class EtcdPeerTls extends ComponentRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.etcd-peer-tls")
      .title("etcd peers talk without TLS client-certificate authentication")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Peer traffic replicates the whole database. Without --peer-client-cert-auth=true a host that "
          + "reaches port 2380 can join as a member; --peer-auto-tls certificates prove nothing.")
      .fix("Run etcd with --peer-cert-file, --peer-key-file, --peer-trusted-ca-file and "
          + "--peer-client-cert-auth=true, and without --peer-auto-tls.")
      .refs("https://etcd.io/docs/v3.5/op-guide/security/")
      .control("cis", "2.4")
      .control("cis", "2.5")
      .control("cis", "2.6")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  List<Component> components() {
    return List.of(Component.ETCD);
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("2.4", List.of("peer-cert-file", "peer-key-file"), "2.5", List.of("peer-client-cert-auth"),
        "2.6", List.of("peer-auto-tls"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    EtcdTls.check(ctx, fact, "peer-");
  }
}

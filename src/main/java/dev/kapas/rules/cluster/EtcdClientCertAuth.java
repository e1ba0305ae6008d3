package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** etcd serves clients without certificate authentication. */
public final class EtcdClientCertAuth extends ComponentRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.etcd-client-cert-auth")
      .title("etcd serves clients without TLS client-certificate authentication")
      .severity(Severity.CRITICAL)
      .input(Input.NODE)
      .why("etcd is the cluster's database, Secrets included. Without --client-cert-auth=true anyone "
          + "who reaches port 2379 reads and writes it; --auto-tls certificates are self-signed and "
          + "prove nothing; without --cert-file/--key-file the traffic is plain text.")
      .fix("Run etcd with --cert-file, --key-file, --trusted-ca-file and --client-cert-auth=true, and "
          + "without --auto-tls.")
      .refs("https://etcd.io/docs/v3.5/op-guide/security/")
      .control("cis", "2.1")
      .control("cis", "2.2")
      .control("cis", "2.3")
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
    return Map.of("2.1", List.of("cert-file", "key-file"), "2.2", List.of("client-cert-auth"), "2.3", List.of("auto-tls"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    EtcdTls.check(ctx, fact, "");
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** API server to etcd without TLS client authentication. */
public final class ApiserverEtcdTls extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-etcd-tls")
      .title("API server reaches etcd without TLS client certificates")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("etcd holds every Secret. If the API server does not present a client certificate and check "
          + "etcd's, etcd must accept unauthenticated clients and the traffic can be read or forged.")
      .fix("Set --etcd-certfile, --etcd-keyfile and --etcd-cafile on the kube-apiserver, and "
          + "--client-cert-auth=true on etcd.")
      .refs("https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters")
      .control("cis", "1.2.23")
      .control("cis", "1.2.26")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("1.2.23", List.of("etcd-certfile", "etcd-keyfile"), "1.2.26", List.of("etcd-cafile"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    requireSet(ctx, fact, "etcd-certfile", "etcd-keyfile", "etcd-cafile");
  }
}

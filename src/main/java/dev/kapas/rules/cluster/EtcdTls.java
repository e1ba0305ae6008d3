package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.source.node.ComponentFact;

/** The client and peer TLS checks of etcd differ only by the {@code peer-} prefix of their flags. */
final class EtcdTls {
  private EtcdTls() {}

  static void check(RuleContext ctx, ComponentFact fact, String prefix) {
    if (!fact.flags().isTrue(prefix + "client-cert-auth")) {
      ComponentRule.fail(ctx, fact, prefix + "client-cert-auth", ComponentRule.setting(fact, prefix + "client-cert-auth"));
    }
    if (fact.flags().isTrue(prefix + "auto-tls")) {
      ComponentRule.fail(ctx, fact, prefix + "auto-tls", ComponentRule.setting(fact, prefix + "auto-tls")
          + ": self-signed certificates");
    }
    ComponentRule.requireSet(ctx, fact, prefix + "cert-file", prefix + "key-file");
  }
}

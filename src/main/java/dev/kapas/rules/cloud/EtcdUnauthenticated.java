package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.HttpAnswer;
import dev.kapas.source.probe.PortFact;
import java.util.Optional;

/** etcd answers without a client certificate. */
public final class EtcdUnauthenticated extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.etcd-unauthenticated")
      .title("etcd answers without a client certificate")
      .severity(Severity.CRITICAL)
      .input(Input.PROBE)
      .why("etcd without client-certificate authentication hands the whole cluster state, Secrets "
          + "included, to anyone who can connect, and lets them write it: that is cluster-admin and more.")
      .fix("Run etcd with `--client-cert-auth=true` and `--peer-client-cert-auth=true`, TLS certificates "
          + "(`--cert-file`, `--key-file`, `--trusted-ca-file`), and give the API server its own client "
          + "certificate (`--etcd-certfile`, `--etcd-keyfile`).")
      .refs("https://etcd.io/docs/v3.5/op-guide/security/")
      .control("cis", "2.2")
      .control("nsa", AUTH)
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
    if (!is(fact, Component.ETCD)) {
      return;
    }
    Optional<HttpAnswer> read = fact.answer("/v3/kv/range").filter(HttpAnswer::ok);
    Optional<HttpAnswer> version = fact.answer("/version").filter(HttpAnswer::ok);
    read.or(() -> version).ifPresent(a -> fail(ctx, fact, request(a), fact.describe() + ": "
        + (read.isPresent() ? "key-value read (key count only) " : "") + a.evidence() + " without a client certificate"));
  }
}

package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** kube-controller-manager reachable (ports 10252 (plain, removed in 1.22) and 10257). */
public final class ControllerManagerReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.controller-manager-reachable")
      .title("kube-controller-manager reachable")
      .severity(Severity.MEDIUM)
      .input(Input.PROBE)
      .why("The controller-manager holds the service-account signing key and credentials for every controller. Its HTTP(S) endpoints (health, metrics, configz, profiling) are for the control plane's monitoring; from elsewhere they leak configuration and are attack surface.")
      .fix("Start kube-controller-manager with `--bind-address=127.0.0.1` (and `--port=0` on versions that still have the insecure port), or firewall 10252/10257 to the control plane.")
      .refs("https://kubernetes.io/docs/reference/networking/ports-and-protocols/")
      .control("cis", "1.3.7")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.CONTROLLER_MANAGER;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.CONTROLLER_MANAGER)) {
      String evidence = fact.answer("/healthz").filter(a -> a.status() > 0).or(fact::firstHttp)
          .map(a -> ": " + a.evidence()).orElse(": TLS handshake succeeds");
      fail(ctx, fact, "tcp", fact.describe() + evidence);
    }
  }
}

package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** kube-scheduler reachable (ports 10251 (plain, removed in 1.23) and 10259). */
public final class SchedulerReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.scheduler-reachable")
      .title("kube-scheduler reachable")
      .severity(Severity.MEDIUM)
      .input(Input.PROBE)
      .why("The scheduler's own HTTP(S) endpoints (health, metrics, configz, profiling) are meant for the control plane's monitoring. From elsewhere they leak configuration and are attack surface for a component that runs with broad cluster rights.")
      .fix("Start kube-scheduler with `--bind-address=127.0.0.1` (and `--port=0` on versions that still have the insecure port), or firewall 10251/10259 to the control plane.")
      .refs("https://kubernetes.io/docs/reference/networking/ports-and-protocols/")
      .control("cis", "1.4.2")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.SCHEDULER;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.SCHEDULER)) {
      String evidence = fact.answer("/healthz").filter(a -> a.status() > 0).or(fact::firstHttp)
          .map(a -> ": " + a.evidence()).orElse(": TLS handshake succeeds");
      fail(ctx, fact, "tcp", fact.describe() + evidence);
    }
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import java.util.List;

/** Profiling endpoints left on. */
public final class ApiserverProfiling extends ComponentRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-profiling")
      .title("Control-plane component serves profiling data")
      .severity(Severity.LOW)
      .input(Input.NODE)
      .why("/debug/pprof reveals internals and memory contents, and heavy profiling requests can slow a "
          + "control-plane component; it is on unless --profiling=false.")
      .fix("Add `--profiling=false` to kube-apiserver, kube-controller-manager and kube-scheduler.")
      .refs("https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/")
      .control("cis", "1.2.15")
      .control("cis", "1.3.2")
      .control("cis", "1.4.1")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  List<Component> components() {
    return List.of(Component.APISERVER, Component.CONTROLLER_MANAGER, Component.SCHEDULER);
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    if (fact.flags().isTrue("profiling")) {
      fail(ctx, fact, "profiling", setting(fact, "profiling"));
    }
  }
}

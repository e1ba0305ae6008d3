package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import java.util.List;

/** Controller manager or scheduler listening beyond localhost. */
public final class ComponentBindAddress extends ComponentRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.component-bind-address")
      .title("Controller manager or scheduler listens on all interfaces")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("Their ports (10257, 10259) serve health, metrics and, with profiling, debug data; nothing "
          + "outside the node needs them, and they default to all interfaces.")
      .fix("Set `--bind-address=127.0.0.1` on kube-controller-manager and kube-scheduler.")
      .refs("https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/")
      .control("cis", "1.3.7")
      .control("cis", "1.4.2")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  List<Component> components() {
    return List.of(Component.CONTROLLER_MANAGER, Component.SCHEDULER);
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    String address = fact.flags().value("bind-address").trim();
    if (!List.of("127.0.0.1", "::1", "localhost").contains(address)) {
      fail(ctx, fact, "bind-address", setting(fact, "bind-address"));
    }
  }
}

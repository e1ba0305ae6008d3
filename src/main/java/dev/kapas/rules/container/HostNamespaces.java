package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;
import java.util.List;

/** PSS baseline "Host Namespaces". */
public final class HostNamespaces implements PodRule {
  private static final List<String> FIELDS = List.of("hostNetwork", "hostPID", "hostIPC");
  private static final RuleSpec SPEC = RuleSpec.rule("container.host-namespaces")
      .title("Pod shares the host's namespaces")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("With hostNetwork, hostPID or hostIPC the pod's containers share the node's network "
          + "stack, process table or IPC: they can sniff node traffic, reach services bound to "
          + "localhost, signal or inspect every process on the node.")
      .fix("Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false).")
      .refs(PodSecurity.BASELINE_DOC)
      .control("cis", "5.2.3")
      .control("cis", "5.2.4")
      .control("cis", "5.2.5")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (String name : FIELDS) {
      Field f = pod.spec().get(name);
      if (f.node().isTrue()) {
        ctx.fail(f, "the pod sets `" + name + ": true`");
      }
    }
  }
}

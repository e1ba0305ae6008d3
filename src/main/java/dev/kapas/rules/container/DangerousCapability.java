package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import java.util.Set;

/** Capabilities that amount to root on the node, or close to it. */
public final class DangerousCapability implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.dangerous-capability")
      .title("Dangerous capability added")
      .severity(Severity.CRITICAL)
      .why("SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, BPF, PERFMON and "
          + "SYS_RAWIO each open a well-known container escape or let the container read or "
          + "rewrite the host's memory, network or files; ALL grants every one of them. Names "
          + "are read as the runtimes read them: any case, with or without `CAP_`. All three "
          + "container lists are checked.")
      .fix("Remove the capability from `securityContext.capabilities.add`; drop ALL and add back "
          + "only what the workload needs (NET_BIND_SERVICE is usually enough).")
      .refs("https://man7.org/linux/man-pages/man7/capabilities.7.html",
          "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container")
      .control("cis", "5.2.9")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  private static final Set<String> DANGEROUS = Set.of(
      "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "BPF", "PERFMON",
      "SYS_RAWIO", "ALL");

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    for (Field item : CapabilityNames.items(container, "add")) {
      if (DANGEROUS.contains(CapabilityNames.name(item))) {
        ctx.fail(item, container.label() + " adds capability `" + item.node().textOr("") + "`");
      }
    }
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/**
 * PSS restricted "Capabilities" (v1.22+): drop ALL, add back at most NET_BIND_SERVICE. Windows
 * pods are exempt from v1.25.
 */
public final class CapabilitiesNotDropped implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.capabilities-not-dropped")
      .title("Container does not drop all capabilities")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.RESTRICTED, 22)
      .why("A container keeps the runtime's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, "
          + "NET_RAW...) unless it drops them; restricted pods drop ALL and add back only "
          + "NET_BIND_SERVICE.")
      .fix("Set `securityContext.capabilities.drop: [ALL]` and add only NET_BIND_SERVICE if the "
          + "container binds a port below 1024.")
      .refs(PodSecurity.RESTRICTED_DOC)
      .control("cis", "5.2.10")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (PodSecurity.exemptWindows(container.pod(), ctx, false)) {
      return;
    }
    Field capabilities = container.securityContext().get("capabilities");
    Field drop = capabilities.get("drop");
    boolean dropsAll = drop.node().items().stream().anyMatch(c -> c.textOr("").equals("ALL"));
    if (!dropsAll) {
      ctx.fail(drop, container.label() + " does not drop `ALL` capabilities");
    }
    for (Field cap : PodSecurity.items(capabilities.get("add"))) {
      if (!PodSecurity.text(cap).equals("NET_BIND_SERVICE")) {
        ctx.fail(cap, container.label() + " adds capability `" + PodSecurity.text(cap)
            + "`; restricted allows only NET_BIND_SERVICE");
      }
    }
  }
}

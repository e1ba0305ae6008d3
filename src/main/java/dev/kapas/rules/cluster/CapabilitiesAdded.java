package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "Capabilities": only the default container capabilities may be added. */
public final class CapabilitiesAdded implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.capabilities-added")
      .title("Container adds a capability beyond the default set")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("Capabilities outside the runtime's default set (SYS_ADMIN, NET_ADMIN, NET_RAW, "
          + "SYS_PTRACE...) give a container kernel powers that are the usual first step of a "
          + "container escape or of attacks on the node's network.")
      .fix("Remove the capability from `securityContext.capabilities.add`; keep to AUDIT_WRITE, "
          + "CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, "
          + "SETPCAP, SETUID and SYS_CHROOT, and better still drop ALL and add only what is needed.")
      .refs(PodSecurity.BASELINE_DOC)
      .control("cis", "5.2.9")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    // At restricted, cluster.capabilities-not-dropped takes this check's place, Windows exemption included.
    if (PodSecurity.exemptWindows(container.pod(), ctx, true)) {
      return;
    }
    for (Field cap : PodSecurity.items(container.securityContext().path("capabilities", "add"))) {
      String name = PodSecurity.text(cap);
      if (!PodSecurity.BASELINE_CAPABILITIES.contains(name)) {
        ctx.fail(cap, container.label() + " adds capability `" + name + "`, outside the baseline set");
      }
    }
  }
}

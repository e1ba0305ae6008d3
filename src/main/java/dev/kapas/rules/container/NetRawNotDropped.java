package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** NET_RAW is in the runtimes' default set and enables spoofing on the pod network. */
public final class NetRawNotDropped implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.net-raw-not-dropped")
      .title("NET_RAW capability not dropped")
      .severity(Severity.MEDIUM)
      .why("Container runtimes grant NET_RAW by default. It lets a compromised container craft "
          + "raw packets: ARP and DNS spoofing of its neighbours, and it was the key to several "
          + "kernel exploits. It must be dropped, by name or with ALL, and not added back; a "
          + "privileged container holds it whatever it drops. All three container lists are "
          + "checked; Windows pods are exempt (no Linux capabilities).")
      .fix("Add `NET_RAW` (or `ALL`) to `securityContext.capabilities.drop`; `ping` works "
          + "without it on current kernels (net.ipv4.ping_group_range).")
      .refs("https://man7.org/linux/man-pages/man7/capabilities.7.html")
      .control("cis", "5.2.8")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (container.pod().isWindows()) {
      return;
    }
    Optional<Field> addedBack = CapabilityNames.items(container, "add").stream()
        .filter(item -> CapabilityNames.coversOrAll(List.of(item), "NET_RAW")).findFirst();
    Field privileged = container.securityContext().get("privileged");
    Field drop = container.securityContext().path("capabilities", "drop");
    if (addedBack.isPresent()) {
      ctx.fail(addedBack.get(), container.label() + " adds `" + addedBack.get().node().textOr("")
          + "`, which grants NET_RAW");
    } else if (privileged.node().isTrue()) {
      ctx.fail(privileged, container.label() + " is privileged, so it holds NET_RAW whatever it drops");
    } else if (!CapabilityNames.coversOrAll(CapabilityNames.items(container, "drop"), "NET_RAW")) {
      ctx.fail(drop, container.label() + " does not drop NET_RAW (or ALL)");
    }
  }
}

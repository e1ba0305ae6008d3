package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.source.node.KubeletFact;
import java.util.List;
import java.util.Map;

/** Kubelet settings that harden the node. */
public final class KubeletHardening extends KubeletRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.kubelet-hardening")
      .title("Kubelet hardening settings are off")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("protectKernelDefaults stops pods from running with kernel settings the node was not tuned "
          + "for; makeIPTablesUtilChains keeps the kubelet's iptables rules in place; an idle timeout of "
          + "0 keeps exec and port-forward streams open forever; without certificate rotation the "
          + "kubelet's client certificate expires or lives too long.")
      .fix("In the kubelet config set `protectKernelDefaults: true`, `makeIPTablesUtilChains: true`, "
          + "`streamingConnectionIdleTimeout` to a few minutes or hours (not 0) and `rotateCertificates: true`.")
      .refs("https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/")
      .control("cis", "4.2.5")
      .control("cis", "4.2.6")
      .control("cis", "4.2.10")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  private static final Map<String, List<String>> CONTROL_SETTINGS = Map.of(
      "4.2.5", List.of("streamingConnectionIdleTimeout", "--streaming-connection-idle-timeout"),
      "4.2.6", List.of("makeIPTablesUtilChains", "--make-iptables-util-chains"),
      "4.2.10", List.of("rotateCertificates", "--rotate-certificates"));

  /** Each CIS control is about one setting (protectKernelDefaults has none in v1.10). */
  @Override
  public boolean fails(Finding finding, String control) {
    return CONTROL_SETTINGS.getOrDefault(control, List.of()).contains(finding.location().path());
  }

  @Override
  public void check(KubeletFact fact, RuleContext ctx) {
    KubeletFact.Setting kernel = fact.setting("protect-kernel-defaults", "protectKernelDefaults", "false");
    if (!kernel.isTrue()) {
      fail(ctx, fact, kernel, "protectKernelDefaults is " + kernel.value());
    }
    KubeletFact.Setting iptables = fact.setting("make-iptables-util-chains", "makeIPTablesUtilChains", "true");
    if (!iptables.isTrue()) {
      fail(ctx, fact, iptables, "makeIPTablesUtilChains is " + iptables.value());
    }
    KubeletFact.Setting idle = fact.setting("streaming-connection-idle-timeout", "streamingConnectionIdleTimeout", "4h0m0s");
    if (idle.value().trim().matches("0+(\\.0+)?[a-z]*|0h0m0s")) {
      fail(ctx, fact, idle, "streamingConnectionIdleTimeout is " + idle.value().trim() + " (streams never time out)");
    }
    KubeletFact.Setting rotate = fact.setting("rotate-certificates", "rotateCertificates", "false");
    if (!rotate.isTrue()) {
      fail(ctx, fact, rotate, "rotateCertificates is " + rotate.value());
    }
  }
}

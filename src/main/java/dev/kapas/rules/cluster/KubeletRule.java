package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.source.node.KubeletFact;

/** A rule about the kubelet's effective settings (flags over config file over defaults). */
abstract class KubeletRule implements FactRule<KubeletFact> {

  @Override
  public final Class<KubeletFact> type() {
    return KubeletFact.class;
  }

  /** A finding at the setting: {@code kubelet (process 12): authorization.mode is AlwaysAllow (…)}. */
  static void fail(RuleContext ctx, KubeletFact fact, KubeletFact.Setting s, String what) {
    ctx.fail(s.at(), "kubelet (" + fact.source() + "): " + what + " (" + s.from() + ")");
  }
}

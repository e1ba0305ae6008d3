package dev.kapas.rules.cloud;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.model.Location;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.HttpAnswer;
import dev.kapas.source.probe.PortFact;
import dev.kapas.source.probe.Ports;

/**
 * A rule about what one probed port answered. Each rule judges the ports of its component — the
 * component the answers identified, or the one the port number is known for — so a closed etcd
 * port counts as a pass for the etcd rules and means nothing to the SSH rule.
 */
abstract class PortRule implements FactRule<PortFact> {
  static final String NETWORK = "Network separation and hardening";
  static final String AUTH = "Authentication and authorization";

  /** The component this rule is about. */
  abstract Component component();

  @Override
  public final Class<PortFact> type() {
    return PortFact.class;
  }

  @Override
  public boolean appliesTo(PortFact fact) {
    return fact.component() == component() || (!fact.open() && Ports.usual(fact.port()) == component());
  }

  /** Whether the port answered as {@link #component()}. */
  static boolean is(PortFact fact, Component c) {
    return fact.open() && fact.component() == c;
  }

  /** A finding at the port, under {@code what} (a request such as {@code GET /pods}, or {@code tcp}). */
  static void fail(RuleContext ctx, PortFact fact, String what, String message) {
    ctx.fail(new Location(fact.hostPort(), 0, 0, what), message);
  }

  static String request(HttpAnswer a) {
    return a.method() + " " + a.path();
  }
}

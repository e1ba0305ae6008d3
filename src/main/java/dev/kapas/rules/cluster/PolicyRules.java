package dev.kapas.rules.cluster;

import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.Field;
import dev.kapas.model.Node;
import java.util.function.BiConsumer;

/** Walks the rules of a NetworkPolicy that take effect: those of the directions it affects. */
final class PolicyRules {
  private PolicyRules() {}

  /** Calls {@code each} with every effective rule of {@code policy} and its direction. */
  static void forEach(Policy policy, BiConsumer<Direction, Field> each) {
    for (Direction d : Direction.values()) {
      if (!policy.affects(d)) {
        continue;
      }
      Field rules = policy.rules(d);
      for (int i = 0; i < rules.node().size(); i++) {
        each.accept(d, rules.get(i));
      }
    }
  }

  /** {@code ingress rule 1 of NetworkPolicy `web`}. */
  static String name(Policy policy, Direction d, Field rule) {
    String index = rule.path().substring(rule.path().lastIndexOf('[') + 1, rule.path().length() - 1);
    return d.field() + " rule " + (Integer.parseInt(index) + 1) + " of NetworkPolicy `" + policy.object().name() + "`";
  }

  /** True when the rule has no `ports`: every port and protocol. */
  static boolean allPorts(Field rule) {
    return rule.node().get("ports").size() == 0;
  }

  /** Whether the rule's ports let TCP port {@code port} through (named ports name pod ports only). */
  static boolean allowsTcp(Field rule, int port) {
    Node ports = rule.node().get("ports");
    if (ports.size() == 0) {
      return true;
    }
    for (Node p : ports.items()) {
      if (!p.get("protocol").textOr("TCP").equals("TCP")) {
        continue;
      }
      Node number = p.get("port");
      if (number.isNull()) {
        return true;
      }
      long from = number.asLong().orElse(-1L);
      long to = p.get("endPort").asLong().orElse(from);
      if (from <= port && port <= to) {
        return true;
      }
    }
    return false;
  }
}

package dev.kapas.inventory.rbac;

import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code aggregationRule.clusterRoleSelectors} entry: a label selector (matchLabels and
 * matchExpressions with In, NotIn, Exists, DoesNotExist; all must hold). An empty selector
 * matches every ClusterRole, as in Kubernetes.
 */
record ClusterRoleSelector(Map<String, String> matchLabels, List<Expression> expressions) {

  record Expression(String key, String operator, List<String> values) {}

  static ClusterRoleSelector of(Node node) {
    Map<String, String> labels = dev.kapas.model.KubeObject.stringMap(node.get("matchLabels"));
    List<Expression> expressions = new ArrayList<>();
    for (Node e : node.get("matchExpressions").items()) {
      List<String> values = new ArrayList<>();
      e.get("values").items().forEach(v -> v.text().ifPresent(values::add));
      expressions.add(new Expression(e.get("key").textOr(""), e.get("operator").textOr(""), values));
    }
    return new ClusterRoleSelector(labels, expressions);
  }

  boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> want : matchLabels.entrySet()) {
      if (!want.getValue().equals(labels.get(want.getKey()))) {
        return false;
      }
    }
    for (Expression e : expressions) {
      String value = labels.get(e.key());
      boolean ok = switch (e.operator()) {
        case "In" -> value != null && e.values().contains(value);
        case "NotIn" -> value == null || !e.values().contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false; // the API server rejects other operators; match nothing
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

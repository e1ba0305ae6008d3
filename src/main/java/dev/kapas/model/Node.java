package dev.kapas.model;

import java.util.List;
import java.util.Optional;

/**
 * A parsed YAML/JSON value that remembers where it was written. The position is the place that
 * introduced the value: the key's position for a map entry, the item's position for a list
 * element, so a finding about a field points at the line a user would edit.
 *
 * <p>Navigation never fails: asking a scalar or a missing node for a key gives {@link Missing}.
 */
public sealed interface Node permits MapNode, ListNode, ScalarNode, Missing {

  /** 1-based line; 0 for a missing node. */
  int line();

  /** 1-based column; 0 for a missing node. */
  int column();

  default Node get(String key) {
    return Missing.INSTANCE;
  }

  default Node get(int index) {
    return Missing.INSTANCE;
  }

  /** Follows a dotted path of map keys: {@code node.path("securityContext", "privileged")}. */
  default Node path(String... keys) {
    Node n = this;
    for (String k : keys) {
      n = n.get(k);
    }
    return n;
  }

  default boolean isMissing() {
    return false;
  }

  default boolean isPresent() {
    return !isMissing();
  }

  /** True for a YAML null (plain {@code null}, {@code ~} or empty) or a missing node. */
  default boolean isNull() {
    return false;
  }

  /** A scalar's text; empty for maps, lists and missing nodes. */
  default Optional<String> text() {
    return Optional.empty();
  }

  /** A scalar's text, or {@code fallback}. */
  default String textOr(String fallback) {
    return text().orElse(fallback);
  }

  /** True only for a boolean {@code true} written as such (a quoted "true" is a string). */
  default boolean isTrue() {
    return false;
  }

  /** True only for a boolean {@code false} written as such. */
  default boolean isFalse() {
    return false;
  }

  default Optional<Long> asLong() {
    return Optional.empty();
  }

  /** Elements of a list; empty for anything else. */
  default List<Node> items() {
    return List.of();
  }

  /** Number of entries of a map or items of a list; 0 otherwise. */
  default int size() {
    return 0;
  }

  default Optional<MapNode> asMap() {
    return Optional.empty();
  }
}

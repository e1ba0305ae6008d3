package dev.kapas.source.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;

/** Deep comparison of two trees: node types, values, plain flags, key order, lines and columns. */
final class TreeAssert {
  private TreeAssert() {}

  static void assertSameTree(Node actual, Node expected, String path) {
    assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
    assertThat(actual.line() + ":" + actual.column()).as(path + " position")
        .isEqualTo(expected.line() + ":" + expected.column());
    if (actual instanceof ScalarNode s) {
      ScalarNode y = (ScalarNode) expected;
      assertThat(s.value()).as(path).isEqualTo(y.value());
      assertThat(s.plain()).as(path + " plain").isEqualTo(y.plain());
    } else if (actual instanceof MapNode m) {
      MapNode y = (MapNode) expected;
      assertThat(m.keys()).as(path).isEqualTo(y.keys());
      for (String k : m.keys()) {
        assertSameTree(m.get(k), y.get(k), path + "." + k);
      }
    } else if (actual instanceof ListNode l) {
      assertThat(l.size()).as(path).isEqualTo(expected.size());
      for (int i = 0; i < l.size(); i++) {
        assertSameTree(l.get(i), expected.get(i), path + "[" + i + "]");
      }
    }
  }
}

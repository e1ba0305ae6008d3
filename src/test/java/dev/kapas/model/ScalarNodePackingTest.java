package dev.kapas.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ScalarNode keeps {@code plain} inside its packed position; neither may leak into the other. */
class ScalarNodePackingTest {

  @Test
  void plainAndPositionAreIndependent() {
    int[][] positions = {{0, 0}, {1, 1}, {7, 42}, {123_456, 99_999}, {Integer.MAX_VALUE, (1 << 30) + 5}};
    for (int[] p : positions) {
      for (boolean plain : new boolean[] {true, false}) {
        ScalarNode node = new ScalarNode("x", plain, p[0], p[1]);
        assertThat(node.plain()).as("plain at %d:%d", p[0], p[1]).isEqualTo(plain);
        assertThat(node.line()).isEqualTo(p[0]);
        assertThat(node.column()).isEqualTo(p[1]);
      }
    }
  }

  @Test
  void quotedScalarsAreNeitherBooleanNorNull() {
    assertThat(new ScalarNode("true", true, 3, 5).isTrue()).isTrue();
    assertThat(new ScalarNode("true", false, 3, 5).isTrue()).isFalse();
    assertThat(new ScalarNode("null", true, 3, 5).isNull()).isTrue();
    assertThat(new ScalarNode("null", false, 3, 5).isNull()).isFalse();
    assertThat(new ScalarNode("0x10", true, 3, 5).asLong()).contains(16L);
    assertThat(new ScalarNode("16", false, 3, 5).asLong()).isEmpty();
  }
}

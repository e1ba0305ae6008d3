package dev.kapas.source.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.MapNode;
import org.junit.jupiter.api.Test;

/** A duplicate key is reported where it repeats, naming the first line; the last value wins. */
class DuplicateKeyTest {

  @Test
  void lastValueWinsAndBothLinesAreNamed() {
    String yaml = """
        a: 1
        b: 2
        c: 3
        b: 4
        d: 5
        c: 6
        """;
    CollectingSink read = CollectingSink.read(yaml);
    MapNode map = (MapNode) read.roots.get(0);
    assertThat(map.keys()).containsExactly("a", "b", "d", "c");
    assertThat(map.get("b").textOr("")).isEqualTo("4");
    assertThat(map.get("c").line()).isEqualTo(6);
    assertThat(read.errors).containsExactly(
        "4:1 duplicate key `b` (first at line 2); the last value is used, as the API server would",
        "6:1 duplicate key `c` (first at line 3); the last value is used, as the API server would");
  }
}

package dev.kapas.source.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Equal short keys and values read from YAML share one String; the tree is unchanged. */
class StringCacheTest {

  @Test
  void equalShortStringsBecomeOneObject() {
    YamlTreeReader.StringCache cache = new YamlTreeReader.StringCache();
    String first = cache.dedupe(new String("apps/v1"));
    String second = cache.dedupe(new String("apps/v1"));
    assertThat(second).isSameAs(first);
  }

  @Test
  void longAndCollidingStringsAreKeptAsTheyAre() {
    YamlTreeReader.StringCache cache = new YamlTreeReader.StringCache();
    String longValue = "x".repeat(65);
    assertThat(cache.dedupe(longValue)).isSameAs(longValue);
    // "Aa" and "BB" have the same hash: they share a slot and each stays itself.
    assertThat(cache.dedupe("Aa")).isEqualTo("Aa");
    assertThat(cache.dedupe("BB")).isEqualTo("BB");
    assertThat(cache.dedupe(new String("Aa"))).isEqualTo("Aa");
  }

  @Test
  void documentsShareKeysAndValues() {
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {ports: [{protocol: TCP, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec: {ports: [{protocol: "TCP", port: 80}]}
        """;
    CollectingSink read = CollectingSink.read(yaml);
    assertThat(read.errors).isEmpty();
    List<Node> roots = read.roots;
    assertThat(roots).hasSize(2);
    ScalarNode a = (ScalarNode) roots.get(0).path("spec", "ports").get(0).get("protocol");
    ScalarNode b = (ScalarNode) roots.get(1).path("spec", "ports").get(0).get("protocol");
    assertThat(b.value()).isSameAs(a.value());
    assertThat(a.plain()).isTrue();
    assertThat(b.plain()).isFalse();
    assertThat(b.line()).isEqualTo(9);
    assertThat(((MapNode) roots.get(1)).keys().get(3)).isSameAs(((MapNode) roots.get(0)).keys().get(3));
  }

  @Test
  void mapsWithTheSameKeysShareThemAndStayCorrect() {
    YamlTreeReader.KeyCache cache = new YamlTreeReader.KeyCache();
    MapNode.Keys first = cache.share(List.of("requests", "limits"));
    assertThat(cache.share(new ArrayList<>(List.of("requests", "limits")))).isSameAs(first);
    assertThat(cache.share(List.of("limits", "requests"))).isNotSameAs(first);
    MapNode map = new MapNode(first, List.of(new ScalarNode("1", true, 2, 3), new ScalarNode("2", true, 3, 3)), 1, 1);
    assertThat(map.keys()).containsExactly("requests", "limits");
    assertThat(map.get("limits").textOr("")).isEqualTo("2");
  }
}

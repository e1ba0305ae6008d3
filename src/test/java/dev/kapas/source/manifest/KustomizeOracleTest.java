package dev.kapas.source.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.source.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Each Kustomize tree built by kapas is exactly what {@code kubectl kustomize} printed for it
 * (kubectl v1.32.4, kustomize v5.5.0; the outputs are kept in src/test/resources/kustomize-expected,
 * README there). Compared as plain trees: maps without key order, lists in order, scalars as text.
 */
class KustomizeOracleTest {

  @ParameterizedTest
  @CsvSource({"app/overlays/prod, app-overlays-prod.yaml", "json6902, json6902.yaml",
      "full/overlays/prod, full-overlays-prod.yaml", "references, references.yaml",
      "generators/overlay, generators-overlay.yaml", "subjects, subjects.yaml"})
  void buildIsWhatKubectlKustomizeBuilds(String tree, String expected) throws IOException {
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of("src/test/resources/kustomize/" + tree), Progress.NONE);
    assertThat(read.errors()).isEmpty();
    List<Object> built = new ArrayList<>();
    for (KubeObject o : read.objects()) {
      built.add(plain(o.root()));
    }
    assertThat(built).isNotEmpty();
    List<Object> printed = new ArrayList<>();
    String text = Files.readString(Path.of("src/test/resources/kustomize-expected/" + expected));
    new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(d -> printed.add(plain(d)));
    // kustomize prints objects sorted by kind (legacy order); compare without order
    Comparator<Object> byText = Comparator.comparing(Object::toString);
    assertThat(built.stream().sorted(byText).toList()).isEqualTo(printed.stream().sorted(byText).toList());
  }

  private static Object plain(Node node) {
    if (node instanceof MapNode map) {
      Map<String, Object> out = new TreeMap<>();
      map.entries().forEach(e -> out.put(e.key(), plain(e.value())));
      return out;
    }
    if (node instanceof ListNode list) {
      return list.items().stream().map(KustomizeOracleTest::plain).toList();
    }
    return node.text().orElse(null);
  }

  private static Object plain(Object loaded) {
    if (loaded instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (loaded instanceof List<?> list) {
      return list.stream().map(KustomizeOracleTest::plain).toList();
    }
    return loaded == null ? null : String.valueOf(loaded);
  }
}

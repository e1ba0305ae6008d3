package dev.kapas.source.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The line heuristic on its own: rendered lines back to template lines, and the values a line reads. */
class TemplateMapTest {
  private static final String TEMPLATE = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: {{ include "name" . }}
        labels:
          {{- include "labels" . | nindent 4 }}
      data:
        {{- range $k, $v := .Values.data }}
        {{ $k }}: {{ $v | quote }}
        {{- end }}
        mode: {{ .Values.mode | default "fast" }}
        {{- with .Values.extra }}
        extra: {{ .level }}
        {{- end }}
      """;

  private static final List<String> RENDERED = List.of(
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: x",
      "  labels:",
      "    app: x",
      "    tier: web",
      "data:",
      "  k1: \"v1\"",
      "  k2: \"v2\"",
      "  mode: fast",
      "  extra: 3");

  @Test
  void renderedLinesMapToTheLinesThatWroteThem() {
    TemplateMap map = new TemplateMap(TEMPLATE);
    TemplateMap.Alignment a = map.align(RENDERED);
    // 0-based template lines: include labels is 5, the range body 8, mode 10, extra 12
    assertThat(a.templateLine()).containsExactly(0, 1, 2, 3, 4, 5, 5, 6, 8, 8, 10, 12);
    assertThat(a.written()[5]).as("written by the include").isTrue();
    assertThat(a.written()[3]).as("matched literally").isFalse();
  }

  @Test
  void linesNameTheValuesTheirActionsRead() {
    TemplateMap map = new TemplateMap(TEMPLATE);
    assertThat(map.valueRefs(3)).isEmpty();
    assertThat(map.valueRefs(8)).containsExactly("data[*]");
    assertThat(map.valueRefs(10)).containsExactly("mode");
    assertThat(map.valueRefs(12)).containsExactly("extra.level");
  }

  @Test
  void expressionsResolveAgainstDotAndVariables() {
    assertThat(TemplateMap.resolve("toYaml .Values.a.b | nindent 4", "", Map.of())).containsExactly("a.b");
    assertThat(TemplateMap.resolve("$.Values.x", "inner", Map.of())).containsExactly("x");
    assertThat(TemplateMap.resolve("toYaml .", "pod.securityContext", Map.of())).containsExactly("pod.securityContext");
    assertThat(TemplateMap.resolve("include \"chart.labels\" .", "", Map.of())).isEmpty();
    assertThat(TemplateMap.resolve("$c.image", "", Map.of("$c", "containers[*]"))).containsExactly("containers[*].image");
    assertThat(TemplateMap.resolve(".Release.Name", "", Map.of())).isEmpty();
  }
}

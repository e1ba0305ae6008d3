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

  @Test
  void withBlocksAndTheirElseNeverCrashAndMapTheirLines() {
    TemplateMap map = new TemplateMap("""
        apiVersion: v1
        kind: Pod
        spec:
          {{- with .Values.pod }}
          {{- with .securityContext }}
          securityContext:
            {{- toYaml . | nindent 4 }}
          {{- end }}
          {{- else }}
          hostNetwork: true
          {{- end }}
          {{- define "x" }}{{ with $.Values.y }}{{ . }}{{ end }}{{ end }}
        """);
    TemplateMap.Alignment a = map.align(List.of("apiVersion: v1", "kind: Pod", "spec:", "  securityContext:",
        "    runAsNonRoot: true", "  hostNetwork: true"));
    assertThat(a.templateLine()).containsExactly(0, 1, 2, 5, 6, 9);
    assertThat(a.written()[4]).isTrue();
    assertThat(map.valueRefs(6)).containsExactly("pod.securityContext");
  }

  @Test
  void repeatedRangeBodiesMapToTheBodyEachTime() {
    TemplateMap map = new TemplateMap("""
        kind: Service
        spec:
          ports:
          {{- range .Values.ports }}
          - name: {{ .name }}
            port: {{ .port }}
          {{- end }}
          type: ClusterIP
        """);
    TemplateMap.Alignment a = map.align(List.of("kind: Service", "spec:", "  ports:", "  - name: a", "    port: 1",
        "  - name: b", "    port: 2", "  - name: c", "    port: 3", "  type: ClusterIP"));
    assertThat(a.templateLine()).containsExactly(0, 1, 2, 4, 5, 4, 5, 4, 5, 7);
  }

  @Test
  void eachDocumentOfAMultiDocumentTemplateMapsToItsOwnPart() {
    TemplateMap map = new TemplateMap("""
        {{- range .Values.apps }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .name }}
        spec:
          replicas: {{ .replicas }}
        {{- end }}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: svc
        spec:
          type: ClusterIP
        """);
    List<String> deployment = List.of("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: a",
        "spec:", "  replicas: 2");
    assertThat(map.align(deployment).templateLine()).containsExactly(2, 3, 4, 5, 6, 7);
    assertThat(map.align(deployment).templateLine()).as("the second repetition alike")
        .containsExactly(2, 3, 4, 5, 6, 7);
    // the Service's metadata:/spec: lines are the Service part's, not the Deployment's
    assertThat(map.align(List.of("apiVersion: v1", "kind: Service", "metadata:", "  name: svc", "spec:",
        "  type: ClusterIP")).templateLine()).containsExactly(10, 11, 12, 13, 14, 15);
  }

  @Test
  void aLineNothingExplainsHasNoTemplateLineRatherThanAWrongOne() {
    TemplateMap map = new TemplateMap("""
        apiVersion: v1
        kind: ConfigMap
        """);
    TemplateMap.Alignment a = map.align(List.of("apiVersion: v1", "kind: ConfigMap", "data:", "  k: v"));
    assertThat(a.templateLine()).containsExactly(0, 1, -1, -1);
  }

  @Test
  void includesWriteTheLinesBetweenTheirNeighbours() {
    TemplateMap map = new TemplateMap("""
        metadata:
          labels:
            {{- include "common.labels" . | nindent 4 }}
          annotations:
            {{- include "common.annotations" . | nindent 4 }}
        spec: {}
        """);
    TemplateMap.Alignment a = map.align(List.of("metadata:", "  labels:", "    a: b", "    c: d", "  annotations:",
        "    e: f", "spec: {}"));
    assertThat(a.templateLine()).containsExactly(0, 1, 2, 2, 3, 4, 5);
    assertThat(a.written()).containsExactly(false, false, true, true, false, true, false);
  }
}

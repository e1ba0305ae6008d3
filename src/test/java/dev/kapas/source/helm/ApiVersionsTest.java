package dev.kapas.source.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.KubeObject;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .Capabilities.APIVersions} in a chart rendered by the bundled Helm (a real render in the
 * child process): what the chosen Kubernetes version serves, by the deprecation guide's dates,
 * plus the entries added as {@code helm template -a} adds them.
 */
class ApiVersionsTest {
  @TempDir Path dir;

  @Test
  void theTableFollowsTheDeprecationGuide() {
    List<String> newest = ApiVersions.served(KubeVersions.newest(), List.of());
    assertThat(newest).contains("v1", "v1/Pod", "policy/v1", "policy/v1/PodDisruptionBudget", "batch/v1/CronJob",
        "autoscaling/v2/HorizontalPodAutoscaler", "flowcontrol.apiserver.k8s.io/v1/FlowSchema",
        "apiextensions.k8s.io/v1/CustomResourceDefinition")
        .doesNotContain("policy/v1beta1", "policy/v1beta1/PodDisruptionBudget", "batch/v1beta1/CronJob",
            "flowcontrol.apiserver.k8s.io/v1beta3", "extensions/v1beta1/Ingress");
    List<String> v120 = ApiVersions.served("v1.20.0", List.of());
    assertThat(v120).contains("policy/v1beta1/PodDisruptionBudget", "policy/v1beta1/PodSecurityPolicy",
        "batch/v1beta1/CronJob", "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1beta1/Ingress",
        "flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema")
        .doesNotContain("policy/v1/PodDisruptionBudget", "policy/v1", "batch/v1/CronJob", "autoscaling/v2");
    // the first minor that serves each, and the first that no longer does
    assertThat(ApiVersions.served("1.21", List.of())).contains("policy/v1/PodDisruptionBudget", "batch/v1/CronJob");
    assertThat(ApiVersions.served("1.22", List.of())).doesNotContain("autoscaling/v2")
        .doesNotContain("networking.k8s.io/v1beta1/Ingress");
    assertThat(ApiVersions.served("1.23", List.of())).contains("autoscaling/v2/HorizontalPodAutoscaler");
    assertThat(ApiVersions.served("1.24", List.of())).contains("policy/v1beta1/PodDisruptionBudget");
    assertThat(ApiVersions.served("1.25", List.of())).doesNotContain("policy/v1beta1", "batch/v1beta1")
        .contains("autoscaling/v2beta2/HorizontalPodAutoscaler");
    assertThat(ApiVersions.served("1.31", List.of())).contains("flowcontrol.apiserver.k8s.io/v1beta3");
    assertThat(ApiVersions.served("1.32", List.of())).doesNotContain("flowcontrol.apiserver.k8s.io/v1beta3");
    assertThat(ApiVersions.served("2.0", List.of())).contains("policy/v1/PodDisruptionBudget")
        .doesNotContain("policy/v1beta1");
    assertThat(ApiVersions.served("1.30", List.of("monitoring.coreos.com/v1/ServiceMonitor")))
        .contains("monitoring.coreos.com/v1/ServiceMonitor");
  }

  @Test
  void templatesSeeWhatTheChosenVersionServesPlusTheAddedEntries() throws IOException {
    Path chart = dir.resolve("caps");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: caps\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "api: policy/v1\n");
    Files.writeString(chart.resolve("templates/_helpers.tpl"), """
        {{- define "caps.pdb" -}}
        {{- if .ctx.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" -}}policy/v1{{- else -}}policy/v1beta1{{- end -}}
        {{- end -}}
        """);
    Files.writeString(chart.resolve("templates/cm.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: caps
        data:
          pdb: {{ .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" | quote }}
          pdbHelper: {{ include "caps.pdb" (dict "ctx" $) | quote }}
          {{- with .Values }}
          groupVersion: {{ $.Capabilities.APIVersions.Has .api | quote }}
          {{- end }}
          byPrintf: {{ (.Capabilities.APIVersions.Has (printf "%s/%s" "batch" "v1beta1")) | quote }}
          monitoring: {{ if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}"yes"{{ else }}"no"{{ end }}
          hasFn: {{ has "autoscaling/v2" .Capabilities.APIVersions | quote }}
          text: "{{ "{{ .Capabilities.APIVersions.Has x }}" }}"
        """);
    Map<String, String> newest = data(render(chart, KubeVersions.newest(), List.of()));
    assertThat(newest).containsEntry("pdb", "true").containsEntry("pdbHelper", "policy/v1")
        .containsEntry("groupVersion", "true").containsEntry("byPrintf", "false")
        .containsEntry("monitoring", "no").containsEntry("hasFn", "true")
        // a string literal that only looks like the call is left as written
        .containsEntry("text", "{{ .Capabilities.APIVersions.Has x }}");
    Map<String, String> v120 = data(render(chart, "v1.20.0", List.of("monitoring.coreos.com/v1",
        "monitoring.coreos.com/v1/ServiceMonitor")));
    assertThat(v120).containsEntry("pdb", "false").containsEntry("pdbHelper", "policy/v1beta1")
        .containsEntry("groupVersion", "false").containsEntry("byPrintf", "true")
        .containsEntry("monitoring", "yes").containsEntry("hasFn", "false");
  }

  private ManifestSource.Result render(Path chart, String kubeVersion, List<String> apiVersions) {
    HelmOptions options = new HelmOptions(List.of(), List.of(), HelmOptions.DEFAULT_RELEASE,
        HelmOptions.DEFAULT_NAMESPACE, kubeVersion, apiVersions, false, HelmOptions.DEFAULT_RENDER_TIMEOUT);
    ManifestSource.Result read = new ChartSource(options, YamlTreeReader.Limits.DEFAULT).read(chart.toString());
    assertThat(read.errors()).as("render errors").isEmpty();
    return read;
  }

  private static Map<String, String> data(ManifestSource.Result read) {
    assertThat(read.objects()).hasSize(1);
    KubeObject cm = read.objects().get(0);
    return KubeObject.stringMap(cm.root().get("data"));
  }
}

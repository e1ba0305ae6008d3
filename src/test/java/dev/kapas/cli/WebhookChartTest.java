package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/helm/kapas, the chart of kapas serve: rendered by Helm (helm-java, as kapas scan renders
 * charts), it has what a webhook needs, and kapas scan passes it apart from the exceptions
 * annotated on its Deployment.
 */
class WebhookChartTest {
  private static final String CHART = "deploy/helm/kapas";

  @ParameterizedTest
  @ValueSource(strings = {"cert-manager", "self-signed"})
  void theChartPassesKapasOwnRulesApartFromAnnotatedExceptions(String certificates) throws Exception {
    CliRun run = CliRun.run("scan", CHART, "--set", "certificates.source=" + certificates, "--fail-on", "info",
        "-f", "json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(run.out());
    assertThat(report.get("warnings")).as("annotations name known rules").isEmpty();
    for (JsonNode f : report.get("findings")) {
      assertThat(f.get("status").asText()).as(f.toString()).isEqualTo("suppressed");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cert-manager", "self-signed"})
  @SuppressWarnings("unchecked")
  void theChartRendersAWebhookWithTwoReplicasABudgetAndExclusions(String certificates) {
    String yaml = new Helm(java.nio.file.Path.of(CHART)).template().withName("guard").withNamespace("kapas-system")
        .set("certificates.source", certificates).call();
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
      if (doc instanceof Map<?, ?> m) {
        byKind.put((String) m.get("kind"), (Map<String, Object>) m);
      }
    }
    assertThat(byKind).containsKeys("Deployment", "Service", "PodDisruptionBudget", "ValidatingWebhookConfiguration",
        "ClusterRole", "ClusterRoleBinding", "ServiceAccount", "ConfigMap", "NetworkPolicy");
    assertThat(byKind).containsKey(certificates.equals("cert-manager") ? "Certificate" : "Secret");
    assertThat(((Map<String, Object>) byKind.get("Deployment").get("spec")).get("replicas")).isEqualTo(2);
    Map<String, Object> hook = ((List<Map<String, Object>>) byKind.get("ValidatingWebhookConfiguration")
        .get("webhooks")).get(0);
    assertThat(hook).containsEntry("sideEffects", "None").containsEntry("failurePolicy", "Fail")
        .containsEntry("admissionReviewVersions", List.of("v1"));
    Map<String, Object> expression = ((List<Map<String, Object>>) ((Map<String, Object>) hook.get("namespaceSelector"))
        .get("matchExpressions")).get(0);
    assertThat(expression).containsEntry("operator", "NotIn")
        .containsEntry("values", List.of("kube-system", "kapas-system"));
    Map<String, Object> clientConfig = (Map<String, Object>) hook.get("clientConfig");
    assertThat(clientConfig.containsKey("caBundle")).isEqualTo(certificates.equals("self-signed"));
    // read-only RBAC, no Secrets
    for (Map<String, Object> rule : (List<Map<String, Object>>) byKind.get("ClusterRole").get("rules")) {
      assertThat((List<String>) rule.get("verbs")).containsExactly("list", "watch");
      assertThat((List<String>) rule.get("resources")).doesNotContain("secrets");
    }
  }
}

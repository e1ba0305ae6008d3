package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
    passesOwnRules("--set", "certificates.source=" + certificates);
  }

  @Test
  void theChartWithCustomRulesPassesKapasOwnRulesToo() throws Exception {
    passesOwnRules("--values", customRules().toString());
    passesOwnRules("--set", "customRules.existingConfigMap=team-rules");
  }

  private static void passesOwnRules(String... values) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("scan", CHART));
    args.addAll(List.of(values));
    args.addAll(List.of("--fail-on", "info", "-f", "json"));
    CliRun run = CliRun.run(args.toArray(String[]::new));
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
    Map<String, Map<String, Object>> byKind = byKind(new Helm(java.nio.file.Path.of(CHART)).template()
        .withName("guard").withNamespace("kapas-system").set("certificates.source", certificates).call());
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

  @Test
  @SuppressWarnings("unchecked")
  void customRulesAreMountedFromTheChartsConfigMapOrTheUsers() throws Exception {
    Map<String, Map<String, Object>> plain = byKind(new Helm(java.nio.file.Path.of(CHART)).template()
        .withName("guard").withNamespace("kapas-system").call());
    assertThat(container(plain).get("args").toString()).doesNotContain("--rules-dir");

    Map<String, Map<String, Object>> own = byKind(new Helm(java.nio.file.Path.of(CHART)).template()
        .withName("guard").withNamespace("kapas-system").withValuesFile(customRules()).call());
    assertThat((List<String>) container(own).get("args")).contains("--rules-dir=/rules");
    assertThat((List<Map<String, Object>>) container(own).get("volumeMounts"))
        .contains(Map.of("name", "rules", "mountPath", "/rules", "readOnly", true));
    assertThat(volumes(own)).contains(Map.of("name", "rules", "configMap", Map.of("name", "guard-kapas-rules")));
    Map<String, Object> rules = own.get("ConfigMap/guard-kapas-rules");
    assertThat(rules).as(own.keySet().toString()).isNotNull();
    assertThat((Map<String, Object>) rules.get("data")).containsOnlyKeys("registry.yaml")
        .containsEntry("registry.yaml", RULE);

    Map<String, Map<String, Object>> theirs = byKind(new Helm(java.nio.file.Path.of(CHART)).template()
        .withName("guard").withNamespace("kapas-system").set("customRules.existingConfigMap", "team-rules").call());
    assertThat((List<String>) container(theirs).get("args")).contains("--rules-dir=/rules");
    assertThat(volumes(theirs)).contains(Map.of("name", "rules", "configMap", Map.of("name", "team-rules")));
    assertThat(theirs).doesNotContainKey("ConfigMap/guard-kapas-rules");
  }

  private static final String RULE = """
      id: custom.registry
      title: Images come from the company registry
      match: {kinds: [Pod]}
      validations:
        - expression: "object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))"
          message: images must come from registry.example.com
      """;

  /** A values file with one custom rule file. */
  private static java.nio.file.Path customRules() throws java.io.IOException {
    java.nio.file.Path values = java.nio.file.Files.createTempFile("kapas-chart-values", ".yaml");
    values.toFile().deleteOnExit();
    java.nio.file.Files.writeString(values, "customRules:\n  files:\n    registry.yaml: |\n"
        + RULE.indent(6));
    return values;
  }

  /** The rendered objects by kind, and by kind/name. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> byKind(String yaml) {
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
      if (doc instanceof Map<?, ?> m) {
        byKind.put((String) m.get("kind"), (Map<String, Object>) m);
        byKind.put(m.get("kind") + "/" + ((Map<String, Object>) m.get("metadata")).get("name"), (Map<String, Object>) m);
      }
    }
    return byKind;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSpec(Map<String, Map<String, Object>> byKind) {
    Map<String, Object> spec = (Map<String, Object>) byKind.get("Deployment").get("spec");
    return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Map<String, Object>> byKind) {
    return ((List<Map<String, Object>>) podSpec(byKind).get("containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> volumes(Map<String, Map<String, Object>> byKind) {
    return (List<Map<String, Object>>) podSpec(byKind).get("volumes");
  }
}

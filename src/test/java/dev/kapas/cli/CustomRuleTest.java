package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom rules in CEL end to end through the CLI: what a user writes, what kapas reports, the exit code. */
class CustomRuleTest {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 1
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        namespace: shop
        labels: {owner: team-a}
      spec: {}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: limits, namespace: policy}
      data: {minReplicas: "2"}
      """;

  private static final String RULE = """
        - id: custom.min-replicas
          title: Deployments run at least two replicas
          severity: high
          layer: cluster
          match: {apiGroups: [apps], kinds: [Deployment]}
          paramsFrom: {kind: ConfigMap, namespace: policy, name: limits}
          validations:
            - expression: "object.spec.replicas >= int(params.data.minReplicas)"
              messageExpression: "'runs ' + string(object.spec.replicas) + ' replica(s), wants ' + params.data.minReplicas"
      """;

  @TempDir Path dir;

  @BeforeEach
  void writeApp() throws IOException {
    Files.writeString(dir.resolve("app.yaml"), APP);
  }

  private JsonNode findings(CliRun run) throws IOException {
    return JsonMapper.builder().build().readTree(run.out()).get("findings");
  }

  private List<String> summary(JsonNode findings) {
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.get("ruleId").asString() + " " + f.get("status").asString() + " "
        + f.get("object").get("name").asString() + " " + f.get("layer").asString() + ": " + f.get("message").asString()));
    return out;
  }

  @Test
  void aFalseValidationIsAFindingAndARuntimeErrorIsAnErrorFinding() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), "customRules:\n" + RULE);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString(), "--framework", "custom", "-f", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(summary(findings(run))).containsExactly(
        "custom.min-replicas fail web cluster: runs 1 replica(s), wants 2 (Deployment web)",
        "custom.min-replicas error api cluster: `object.spec.replicas >= int(params.data.minReplicas)` failed:"
            + " evaluation error at <input>:11: key 'replicas' is not present in map.");
  }

  @Test
  void matchSelectsByKindNamespaceAndLabels() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: custom.every
            title: every object it matches
            validations: [{expression: "false", message: "matched"}]
          - id: custom.labelled
            title: labelled deployments outside policy
            match: {kinds: [Deployment, ConfigMap], excludeNamespaces: [policy], labelSelector: "owner in (team-a)"}
            validations: [{expression: "false", message: "matched"}]
          - id: custom.in-policy
            title: objects in policy
            match: {namespaces: [policy]}
            validations: [{expression: "false", message: "matched"}]
          - id: custom.excluded
            title: configmaps outside policy
            match: {kinds: [ConfigMap], excludeNamespaces: [policy]}
            validations: [{expression: "false", message: "matched"}]
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString(), "--framework", "custom", "-f", "json",
        "--fail-on", "none");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(summary(findings(run)).stream().map(s -> s.substring(0, s.indexOf(' ', s.indexOf(' ') + 1) + 1)
        + s.split(" ")[2]).sorted()).containsExactly("custom.every fail api", "custom.every fail limits",
        "custom.every fail web", "custom.in-policy fail limits", "custom.labelled fail api");
  }

  @Test
  void rulesFromADirectoryTakeSeveritiesAndExceptionsFromTheConfig() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("replicas.yaml"), RULE);
    Files.writeString(dir.resolve(".kapas.yaml"), """
        rules:
          custom.min-replicas: {severity: low}
        exceptions:
          - rule: custom.min-replicas
            match: {name: api}
            reason: api is scaled by an HPA
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString(), "--rules-dir", "rules", "--framework", "custom", "-f", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode findings = findings(run);
    assertThat(findings).hasSize(2);
    assertThat(findings.get(0).get("severity").asString()).isEqualTo("low");
    assertThat(summary(findings).get(1)).startsWith("custom.min-replicas suppressed api");
  }

  @Test
  void aRuleThatDoesNotCompileIsAConfigErrorAtTheExpressionsLine() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: custom.broken
            title: broken
            validations:
              - expression: |
                  has(object.spec) &&
                  object.spec.replicas >
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:7: custom.broken: validation does not compile:")
        .contains("mismatched input").doesNotContain("Exception");
  }

  @Test
  void aRuleOverTheAPIServersCostLimitOnEveryObjectIsAConfigError() throws IOException {
    String list = "[" + String.join(", ", java.util.Collections.nCopies(400, "1")) + "]";
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: custom.costly
            title: costly
            validations:
              - expression: "%s.map(x, %s.map(y, x + y)).size() > 0"
        """.formatted(list, list));
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:5: custom.costly: validation: estimated rule cost exceeds budget by factor of")
        .contains("over the API server's per-expression limit of 1000000").doesNotContain("Exception");
  }

  @Test
  void aValidationMustBeBoolean() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: custom.name
            title: names
            validations: [{expression: "'web' + object.metadata.name"}]
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:4: custom.name: `'web' + object.metadata.name` must evaluate to"
        + " bool, not string");
  }

  @Test
  void aValidationThatGivesNoBooleanAtRunTimeIsAnError() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: custom.name
            title: names
            match: {kinds: [ConfigMap]}
            validations: [{expression: "object.metadata.name"}]
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString(), "-f", "json", "--framework", "custom");
    assertThat(summary(findings(run))).containsExactly(
        "custom.name error limits cluster: `object.metadata.name` gave limits, not a bool");
  }

  @Test
  void aBadRuleIdIsAConfigError() throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), """
        customRules:
          - id: cluster.mine
            title: mine
            validations: [{expression: "true"}]
        """);
    CliRun run = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:2: custom rule ID `cluster.mine` must be custom.<slug>");
  }

  @Test
  void customRulesShareTheMetadataPathOfBuiltInRules() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("replicas.yaml"), RULE);
    CliRun list = CliRun.in(dir, "rules", "--rules-dir", "rules", "--framework", "custom");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("custom.min-replicas").contains("Deployments run at least two replicas")
        .doesNotContain("cluster.privileged-container");
    CliRun sarif = CliRun.in(dir, "scan", dir.resolve("app.yaml").toString(), "--rules-dir", "rules", "-f", "sarif");
    JsonNode driverRules = JsonMapper.builder().build().readTree(sarif.out()).at("/runs/0/tool/driver/rules");
    List<String> ids = new ArrayList<>();
    driverRules.forEach(r -> ids.add(r.get("id").asString()));
    assertThat(ids).contains("custom.min-replicas", "cluster.privileged-container");
  }
}

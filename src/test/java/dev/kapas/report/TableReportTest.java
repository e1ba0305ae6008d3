package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The human report, from real scans. */
class TableReportTest {
  @TempDir
  Path dir;

  @Test
  void groupsByLayerThenRuleWithTheFixOnce() throws IOException {
    Path yaml = manifest("two.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: ns}
        spec:
          containers:
          - {name: a, image: x, securityContext: {privileged: true}}
          - {name: b, image: x, securityContext: {privileged: true}}
        """);
    String out = CliRun.run("scan", "--rules=cluster.privileged-container", yaml.toString()).out();
    assertThat(out).startsWith("kapas ").contains(": 1 object, ");
    assertThat(out).contains("""

        CLUSTER layer  score 50.0/100  2 findings
          CRITICAL  cluster.privileged-container  Privileged container (2)
              Pod/ns/p  %1$s:6
                container `a` sets `privileged: true`
              Pod/ns/p  %1$s:7
                container `b` sets `privileged: true`
              fix: Remove `securityContext.privileged: true`""".formatted(yaml));
    assertThat(out.split("fix: ", -1)).hasSize(2);
    assertThat(out).contains("Findings: 2 critical, 0 high, 0 medium, 0 low, 0 info\n");
    assertThat(out).contains("Score: 50.0/100 overall (cloud -, cluster 50.0, container -, code -)\n");
    assertThat(out).endsWith("Result: FAIL (findings at or above high)\n");
  }

  @Test
  void suppressedAreCountedNotListedAndInputErrorsShown() {
    String out = CliRun.scanFixtures().out();
    // 4 objects checked (40), one critical finding (10) and one input error (10): 40 / 60
    assertThat(out).contains("CLUSTER layer  score 66.7/100  1 finding\n");
    assertThat(out).contains("Deployment/shop/web").doesNotContain("calico-node").doesNotContain("Pod/shop/debug");
    assertThat(out).contains("(2 suppressed)");
    assertThat(out).contains("Input errors (1)\n  " + CliRun.BROKEN + ":6:1: invalid YAML");
    assertThat(out).endsWith("Result: INCOMPLETE (1 input error; findings may be missing)\n");
  }

  @Test
  void aCleanScanPasses() throws IOException {
    Path yaml = manifest("ok.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers: [{name: a, image: x}]\n");
    CliRun run = CliRun.run("scan", "--rules=cluster.privileged-container", yaml.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("CLUSTER layer  score 100.0/100  no findings\n")
        .endsWith("Result: PASS (nothing at or above high)\n");
  }

  @Test
  void aScanOfNothingHasNoScore() throws IOException {
    Path empty = manifest("empty.yaml", "# nothing here\n");
    CliRun run = CliRun.run("scan", empty.toString());
    assertThat(run.out()).contains("Score: - overall (cloud -, cluster -, container -, code -)\n");
    assertThat(CliRun.run("scan", empty.toString(), "-f", "json").out()).contains("\"overall\" : null");
  }

  @Test
  void inputCannotDriveTheTerminal() throws IOException {
    Path yaml = manifest("evil.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: "x\\e[2J\\u202Ey\\rz"}
        spec:
          containers: [{name: a, image: x, securityContext: {privileged: true}}]
        """);
    String out = CliRun.run(true, Map.of(), "scan", yaml.toString(), "--pss").out();
    assertThat(out).contains("Pod/x\\u001B[2J\\u202Ey\\u000Dz").doesNotContain("\u001b[2J").doesNotContain("\r");
  }

  @Test
  void colourPaintsSeverityAndVerdict() {
    String out = CliRun.run(true, Map.of(), "scan", CliRun.WORKLOADS).out();
    assertThat(out).contains("\u001b[1;31mCRITICAL").contains("\u001b[1;31mFAIL\u001b[0m");
  }


  private Path manifest(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }
}

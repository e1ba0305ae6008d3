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
  /** One pod, two privileged containers. */
  private static final String TWO_PRIVILEGED = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: ns}
        spec:
          containers:
          - {name: a, image: x, securityContext: {privileged: true}}
          - {name: b, image: x, securityContext: {privileged: true}}
        """;

  @TempDir
  Path dir;

  @Test
  void groupsByLayerThenRuleWithTheFixOnce() throws IOException {
    Path yaml = manifest("two.yaml", TWO_PRIVILEGED);
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
  void findingsAlikeInOneObjectAreOneEntryWithACountAndTheFirstLocations() throws IOException {
    StringBuilder pod = new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata: {name: big, namespace: ns}\n"
        + "spec:\n  containers:\n");
    for (int i = 0; i < 1000; i++) {
      pod.append("  - {name: c").append(i).append(", image: x, securityContext: {privileged: true}}\n");
    }
    Path big = manifest("big.yaml", pod.toString());
    // two alike findings in another object stay two entries
    Path two = manifest("two.yaml", TWO_PRIVILEGED);
    String out = CliRun.run("scan", "--rules=cluster.privileged-container", big.toString(), two.toString()).out();
    assertThat(out).contains("""
        CLUSTER layer  score 50.0/100  1002 findings
          CRITICAL  cluster.privileged-container  Privileged container (1002)
              Pod/ns/big  %1$s:6, 7, 8, ... (1000 findings)
                container `c0` sets `privileged: true` (and 999 more like it)
              Pod/ns/p  %2$s:6
                container `a` sets `privileged: true`
              Pod/ns/p  %2$s:7
                container `b` sets `privileged: true`
              fix: """.formatted(big, two));
    assertThat(out).doesNotContain("`c1`").contains("Findings: 1002 critical,");

    // JSON and SARIF keep every finding
    String json = CliRun.run("scan", "--rules=cluster.privileged-container", "-f", "json", big.toString()).out();
    assertThat(json.split("\"ruleId\"", -1)).hasSize(1001);
    assertThat(json).contains("container `c999` sets");
    String sarif = CliRun.run("scan", "--rules=cluster.privileged-container", "-f", "sarif", big.toString()).out();
    assertThat(sarif).contains("container `c999` sets");
  }

  @Test
  void aRulesFindingsAtAnotherSeverityAreTheirOwnGroup() throws IOException {
    Path yaml = manifest("host.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent, namespace: ns}
        spec:
          containers:
          - name: a
            image: x
            volumeMounts: [{name: etc, mountPath: /etc/host}]
          volumes:
          - {name: etc, hostPath: {path: /etc}}
          - {name: cache, hostPath: {path: /srv/cache}}
        """);
    String out = CliRun.run("scan", "--rules=container.hostpath-volume,container.sensitive-host-path",
        yaml.toString()).out();
    assertThat(out).contains("""
          HIGH      container.hostpath-volume  Pod mounts a hostPath volume
              Pod/ns/agent  %1$s:11
                volume `cache` mounts host path `/srv/cache`
        """.formatted(yaml)).contains("""
          INFO      container.hostpath-volume  Pod mounts a hostPath volume
              Pod/ns/agent  %1$s:10
                volume `etc` mounts host path `/etc` (a note: container.sensitive-host-path reports this volume)
        """.formatted(yaml));
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

package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --framework cis|nsa}: a per-control pass/fail table and the framework's score. */
class FrameworkControlsTest {
  private static final String WORKLOADS = "src/test/resources/reports/workloads.yaml";

  @Test
  void cisTableListsControlsInNumericOrderWithTheirRules() {
    CliRun run = CliRun.in(Path.of("."), "scan", WORKLOADS, "--framework", "cis");
    assertThat(run.out()).contains("CIS Kubernetes Benchmark: score ")
        .containsPattern("\\n  5\\.2\\.2 +FAIL  \\d+/\\d+ failed  cluster\\.privileged-container\\n");
    List<String> ids = new ArrayList<>();
    run.out().lines().filter(l -> l.matches("  5\\.\\d+\\.\\d+ .*")).forEach(l -> ids.add(l.trim().split(" ")[0]));
    assertThat(ids).isNotEmpty().isSortedAccordingTo(ScanReport::compareControls);
  }

  @Test
  void jsonSummaryCarriesTheControls() {
    CliRun run = CliRun.in(Path.of("."), "scan", WORKLOADS, "--framework", "cis", "-f", "json");
    assertThat(run.out()).containsPattern(
        "\"id\" : \"5\\.2\\.2\",\\s*\"status\" : \"fail\",\\s*\"checks\" : \\d+,\\s*\"failed\" : [1-9]\\d*,"
            + "\\s*\"rules\" : \\[ \"cluster\\.privileged-container\" \\]");
  }

  @Test
  void otherFrameworksHaveNoControlTable() {
    CliRun run = CliRun.in(Path.of("."), "scan", WORKLOADS);
    assertThat(run.out()).doesNotContain("CIS Kubernetes Benchmark");
    assertThat(CliRun.in(Path.of("."), "scan", WORKLOADS, "-f", "json").out()).doesNotContain("\"controls\"");
  }

  @Test
  void controlOrderIsNumericPerSection() {
    List<String> ids = new ArrayList<>(List.of("5.2.10", "5.1.1", "5.2.2", "5.10.1", "5.2"));
    ids.sort(ScanReport::compareControls);
    assertThat(ids).containsExactly("5.1.1", "5.2", "5.2.2", "5.2.10", "5.10.1");
  }
}

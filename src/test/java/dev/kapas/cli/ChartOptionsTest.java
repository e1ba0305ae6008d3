package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm options of {@code kapas scan} as a user writes them: {@code --api-versions} and {@code --render-timeout}. */
class ChartOptionsTest {
  @TempDir Path dir;

  private Path chart() throws IOException {
    Path chart = dir.resolve("caps");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: caps\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "{}\n");
    Files.writeString(chart.resolve("templates/pod.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata:
          name: sm-{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}-gw-{{ .Capabilities.APIVersions.Has "gateway.networking.k8s.io/v1" }}-pdb-{{ .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}
        spec:
          containers: [{name: c, image: "x:1", securityContext: {privileged: true}}]
        """);
    return chart;
  }

  @Test
  void apiVersionsAddEntriesRepeatedOrCommaSeparated() throws IOException {
    String chart = chart().toString();
    CliRun plain = CliRun.run("scan", chart, "--rules", "cluster.privileged-container", "--no-color");
    assertThat(plain.out()).as(plain.err()).contains("Pod/sm-false-gw-false-pdb-true");
    CliRun added = CliRun.run("scan", chart, "--rules", "cluster.privileged-container", "--no-color",
        "-a", "monitoring.coreos.com/v1/ServiceMonitor", "--api-versions", "example.com/v1,gateway.networking.k8s.io/v1",
        "--kube-version", "1.20");
    assertThat(added.out()).as(added.err()).contains("Pod/sm-true-gw-true-pdb-false");
  }

  @Test
  void aMalformedApiVersionIsAUsageError() throws IOException {
    CliRun run = CliRun.run("scan", chart().toString(), "--api-versions", "policy/v1,,x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--api-versions ``: expected GROUP/VERSION or GROUP/VERSION/KIND");
  }

  @Test
  void renderTimeoutTakesDurationsAsHelmUsersWriteThem() {
    assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
    assertThat(Durations.parse("1m30s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("1h2m3s")).contains(Duration.ofSeconds(3723));
    assertThat(Durations.parse("1.5m")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("1500ms")).contains(Duration.ofMillis(1500));
    assertThat(Durations.parse("45")).contains(Duration.ofSeconds(45));
    assertThat(Durations.parse("1m30")).isEmpty();
    assertThat(Durations.parse("90x")).isEmpty();
    assertThat(Durations.parse("")).isEmpty();
    assertThat(Durations.parse("-5s")).isEmpty();
  }

  @Test
  void renderTimeoutAcceptsADurationAndABadOneIsAUsageError() throws IOException {
    String chart = chart().toString();
    CliRun ok = CliRun.run("scan", chart, "--render-timeout", "1m30s", "--rules", "cluster.privileged-container");
    assertThat(ok.exitCode()).as(ok.err()).isEqualTo(1);
    for (String bad : new String[] {"90x", "0s", "1m30", "soon"}) {
      CliRun run = CliRun.run("scan", chart, "--render-timeout", bad);
      assertThat(run.exitCode()).as(bad).isEqualTo(2);
      assertThat(run.err()).contains("--render-timeout `" + bad + "`: expected a duration of 1 s or more, such as 90s, 2m");
      assertThat(run.err()).doesNotContain("Exception");
    }
  }
}

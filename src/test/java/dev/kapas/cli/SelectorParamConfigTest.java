package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label-selector parameters end to end: set in .kapas.yaml, checked when the config is read. */
class SelectorParamConfigTest {
  private static final String RULE = "cluster.sensitive-workload-shared-nodes";
  private static final String APP = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: ledger
        namespace: shop
        labels: {data: pci}
      spec:
        containers:
        - name: app
          image: ledger:4
      """;

  @TempDir Path dir;

  private CliRun scan(String config) throws IOException {
    Path app = Files.writeString(dir.resolve("app.yaml"), APP);
    Files.writeString(dir.resolve(".kapas.yaml"), config);
    return CliRun.in(dir, "scan", app.toString(), "-fjson", "--rules=" + RULE);
  }

  @Test
  void selectorFromTheConfigMarksTheWorkloadSensitive() throws IOException {
    CliRun run = scan("rules:\n  " + RULE + ":\n    selectors: [\"data in (pci, pii)\"]\n");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(RULE).contains("labels match `data in (pci, pii)`");
  }

  @Test
  void withoutSelectorsOrNamespacesTheRuleDoesNotRun() throws IOException {
    CliRun run = scan("failOn: high\n");
    assertThat(run.out()).doesNotContain("\"ruleId\" : \"" + RULE + "\"");
  }

  @Test
  void aSelectorThatDoesNotParseIsAConfigError() throws IOException {
    CliRun run = scan("rules:\n  " + RULE + ":\n    selectors:\n    - tier=db\n    - \"data in pci, =x\"\n");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".kapas.yaml:5").contains(RULE + ".selectors");
  }
}

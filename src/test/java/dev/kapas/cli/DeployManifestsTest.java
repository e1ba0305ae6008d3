package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The manifests that run kapas node on a cluster pass kapas's own rules, apart from the exceptions
 * annotated on them ({@code kapas.dev/ignore}) and documented in deploy/README.md — no more, no fewer.
 */
class DeployManifestsTest {

  @Test
  void deployPassesItsOwnRulesApartFromDocumentedExceptions() throws IOException {
    CliRun run = CliRun.run("scan", "deploy/", "--fail-on", "info", "-f", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).as(run.out()).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(run.out());
    assertThat(report.get("warnings")).as("annotations name known rules").isEmpty();
    Set<String> suppressed = new TreeSet<>();
    for (JsonNode f : report.get("findings")) {
      assertThat(f.get("status").asText()).as(f.toString()).isEqualTo("suppressed");
      suppressed.add(f.get("ruleId").asText());
    }
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("`((?:cluster|container|cloud|code)\\.[a-z0-9-]+)`")
        .matcher(Files.readString(Path.of("deploy/README.md")));
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(suppressed).isNotEmpty().isEqualTo(documented);
  }
}

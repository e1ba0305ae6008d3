package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example custom rules of examples/policies: each fires on its fail fixture and stays quiet on its
 * pass fixture (examples/policy-fixtures/{pass,fail}/&lt;rule&gt;.yaml), with no evaluation errors.
 */
class ExamplePoliciesTest {
  private static final Path POLICIES = Path.of("examples/policies");
  private static final Path FIXTURES = Path.of("examples/policy-fixtures");

  static Stream<String> rules() throws IOException {
    try (Stream<Path> files = Files.list(POLICIES)) {
      List<String> names = files.map(p -> p.getFileName().toString().replace(".yaml", "")).sorted().toList();
      assertThat(names).hasSize(10);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void firesOnItsFailFixtureOnly(String rule) {
    assertThat(statuses(rule, "fail")).containsExactly("fail");
    assertThat(statuses(rule, "pass")).isEmpty();
  }

  private static List<String> statuses(String rule, String kind) {
    Path fixture = FIXTURES.resolve(kind).resolve(rule + ".yaml");
    assertThat(fixture).exists();
    CliRun run = CliRun.run("scan", fixture.toString(), "--rules-dir", POLICIES.toString(),
        "--rules", "custom." + rule, "-f", "json", "--fail-on", "none");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode findings = JsonMapper.builder().build().readTree(run.out()).get("findings");
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.get("status").asString()));
    return out;
  }
}

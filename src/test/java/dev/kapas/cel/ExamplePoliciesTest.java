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
 * The examples of examples/policies, in both forms: each custom rule fires on its fail fixture and
 * stays quiet on its pass fixture (examples/policy-fixtures/{pass,fail}/&lt;rule&gt;.yaml), with no
 * evaluation errors; its ValidatingAdmissionPolicy form in examples/admission-policies, evaluated
 * by cluster.admission-policy-violation, judges the same objects the same way with the same message.
 */
class ExamplePoliciesTest {
  private static final Path POLICIES = Path.of("examples/policies");
  private static final Path ADMISSION = Path.of("examples/admission-policies");
  private static final Path FIXTURES = Path.of("examples/policy-fixtures");

  /** One finding: the object, its status and its message. */
  private record Seen(String object, String status, String message) {}

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
    assertThat(custom(rule, "fail")).extracting(Seen::status).containsExactly("fail");
    assertThat(custom(rule, "pass")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("rules")
  void theAdmissionPolicyFormAgrees(String rule) {
    for (String kind : List.of("fail", "pass")) {
      List<Seen> custom = custom(rule, kind);
      List<Seen> policy = scan(FIXTURES.resolve(kind).resolve(rule + ".yaml").toString(),
          ADMISSION.resolve(rule + ".yaml").toString(), ADMISSION.resolve("params-crd.yaml").toString(),
          "--rules", "cluster.admission-policy-violation");
      assertThat(policy).extracting(Seen::object, Seen::status)
          .as("%s on its %s fixture: %s", rule, kind, policy)
          .containsExactlyElementsOf(custom.stream().map(s -> org.assertj.core.groups.Tuple.tuple(s.object(),
              s.status())).toList());
      for (int i = 0; i < custom.size(); i++) {
        // the custom rule's message ends with the object, the policy's starts with policy, binding and action
        String message = custom.get(i).message().replaceFirst(" \\([A-Za-z]+ [^)]+\\)$", "");
        assertThat(policy.get(i).message()).startsWith("ValidatingAdmissionPolicy `" + rule + "` with binding `"
            + rule + "` (").endsWith("): " + message);
      }
    }
  }

  private static List<Seen> custom(String rule, String kind) {
    return scan(FIXTURES.resolve(kind).resolve(rule + ".yaml").toString(), "--rules-dir", POLICIES.toString(),
        "--rules", "custom." + rule);
  }

  private static List<Seen> scan(String... args) {
    assertThat(Path.of(args[0])).exists();
    List<String> command = new ArrayList<>(List.of("scan"));
    command.addAll(List.of(args));
    command.addAll(List.of("-f", "json", "--fail-on", "none"));
    CliRun run = CliRun.run(command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode findings = JsonMapper.builder().build().readTree(run.out()).get("findings");
    List<Seen> out = new ArrayList<>();
    findings.forEach(f -> out.add(new Seen(f.get("object").toString(), f.get("status").asString(),
        f.get("message").asString())));
    return out;
  }
}

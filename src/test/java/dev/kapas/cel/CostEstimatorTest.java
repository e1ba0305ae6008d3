package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.policy.ConfigException;
import dev.kapas.policy.CustomRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static cost estimate (cel-go's model) and the refusal at load of a custom rule whose cheapest
 * evaluation already exceeds the API server's per-expression limit.
 */
class CostEstimatorTest {
  private static final KubeCel ENV = KubeCel.withVariables(CelRules.VARIABLES);

  @TempDir
  Path dir;

  private static CostEstimator.Estimate cost(String expression) throws CelCompileError {
    return ENV.compile(expression).cost();
  }

  @Test
  void literalsAndCallsCostAsInCelGo() throws CelCompileError {
    assertThat(cost("1 + 2")).isEqualTo(CostEstimator.Estimate.fixed(1));
    // 10 for each list literal, 1 per identifier, 1 per call; the step runs once per element
    assertThat(cost("[1, 2, 3].map(x, x * 2)")).isEqualTo(CostEstimator.Estimate.fixed(10 + 10 + 1 + 3 * 14));
    // contains: 0.1 per character of each string, multiplied
    assertThat(cost("'" + "a".repeat(95) + "'.contains('" + "b".repeat(20) + "')"))
        .isEqualTo(CostEstimator.Estimate.fixed(10 * 2));
    // a short-circuiting && costs its left side at least, both sides at most
    assertThat(cost("'abc'.startsWith('a') && '" + "x".repeat(40) + "'.endsWith('" + "y".repeat(40) + "')"))
        .isEqualTo(new CostEstimator.Estimate(1, 1 + 4));
  }

  @Test
  void nestedComprehensionsOverTheObjectsListsAreUnboundedButCheapAtLeast() throws CelCompileError {
    CostEstimator.Estimate cost = cost(
        "object.spec.containers.all(c, object.spec.containers.all(d, c.name != d.name || c == d))");
    assertThat(cost.max()).isEqualTo(CostEstimator.UNBOUNDED);
    assertThat(cost.min()).isLessThan(100);
  }

  @Test
  void justUnderTheLimitLoads() throws Exception {
    // ceil(9990 * 0.1) * ceil(10000 * 0.1) = 999 * 1000
    String expression = contains(9_990, 10_000);
    assertThat(cost(expression)).isEqualTo(CostEstimator.Estimate.fixed(999_000));
    assertThat(CelRules.compileNow(rule(expression))).hasSize(1);
  }

  @Test
  void justOverTheLimitIsRefusedAtTheExpressionsLine() throws Exception {
    String expression = contains(10_010, 10_000); // 1001 * 1000
    assertThat(cost(expression)).isEqualTo(CostEstimator.Estimate.fixed(1_001_000));
    assertThatThrownBy(() -> CelRules.compileNow(rule(expression)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.display()).contains("rules.yaml:6: ")
            .contains("custom.costly: validation: estimated rule cost exceeds budget by factor of 1.001000x: "
            + "even its cheapest evaluation costs 1001000, over the API server's per-expression limit of 1000000"));
  }

  @Test
  void nestedComprehensionsOverLiteralListsAreRefused() throws Exception {
    String list = "[" + String.join(", ", java.util.Collections.nCopies(400, "1")) + "]";
    String expression = list + ".map(x, " + list + ".map(y, x + y)).size() > 0";
    assertThat(cost(expression).min()).isGreaterThan(KubeCel.PER_CALL_LIMIT);
    assertThatThrownBy(() -> CelRules.compileNow(rule(expression)))
        .hasMessageContaining("exceeds budget by factor of 2.");
  }

  @Test
  void everyExampleLoadsAndStaysUnderTheLimit() throws Exception {
    List<CustomRules.Definition> examples = CustomRules.readDir(Path.of("examples/policies"));
    assertThat(examples).hasSize(10);
    assertThat(CelRules.compileNow(examples)).hasSize(10);
    for (CustomRules.Definition d : examples) {
      for (CustomRules.Validation v : d.validations()) {
        assertThat(cost(v.expression().text()).min()).as(d.spec().id()).isLessThanOrEqualTo(KubeCel.PER_CALL_LIMIT);
      }
    }
  }

  private static String contains(int text, int substring) {
    return "'" + "a".repeat(text) + "'.contains('" + "b".repeat(substring) + "')";
  }

  private List<CustomRules.Definition> rule(String expression) throws IOException, ConfigException {
    Files.writeString(dir.resolve("rules.yaml"), """
        id: custom.costly
        title: costly
        severity: low
        match: {kinds: [Pod]}
        validations:
          - expression: "%s"
        """.formatted(expression));
    return CustomRules.readDir(dir);
  }
}

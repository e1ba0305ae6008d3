package dev.kapas.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large inventories are walked in parallel slices; the result must be what one thread would
 * produce: every finding, in input order, and every object counted as evaluated.
 */
class ParallelEngineTest {

  @Test
  void parallelWalkKeepsInputOrderAndCountsEveryObject() {
    int pods = 5_000;
    Inventory inventory = pods(pods);
    Rule rule = RuleCatalog.builtIn().find("cluster.privileged-container").orElseThrow();

    Evaluation evaluation = new Engine(List.of(rule), Engine.Settings.defaults()).run(inventory);

    List<String> names = evaluation.findings().stream().map(Finding::object)
        .map(ref -> ref.name()).toList();
    List<String> expected = java.util.stream.IntStream.range(0, pods).filter(i -> i % 3 == 0)
        .mapToObj(i -> "p" + i).toList();
    assertThat(names).containsExactlyElementsOf(expected);
    assertThat(evaluation.evaluatedCount("cluster.privileged-container")).isEqualTo(pods);
  }

  /** A rule that breaks on one object, in a slice some worker thread may run. */
  static final class Breaks implements ObjectRule {
    @Override
    public RuleSpec spec() {
      return RuleSpec.rule("cluster.test-breaks").title("breaks").severity(Severity.LOW)
          .input(Input.MANIFEST).why("A test rule.").fix("None.").build();
    }

    @Override
    public boolean appliesTo(KubeObject object) {
      return true;
    }

    @Override
    public void check(KubeObject object, RuleContext ctx) {
      if (object.ref().name().equals("p4321")) {
        throw new IllegalStateException("broke on " + object.ref().name());
      }
    }
  }

  @Test
  void aRuleThatThrowsInAParallelSliceFailsTheRunWithItsOwnException() {
    Inventory inventory = pods(5_000);
    Rule privileged = RuleCatalog.builtIn().find("cluster.privileged-container").orElseThrow();

    assertThatThrownBy(() -> new Engine(List.of(privileged, new Breaks()), Engine.Settings.defaults()).run(inventory))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broke on p4321");
  }

  private static Inventory pods(int pods) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < pods; i++) {
      yaml.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append("}\n")
          .append("spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n")
          .append("    securityContext: {privileged: ").append(i % 3 == 0).append("}\n");
    }
    ManifestSource.Result read = new ManifestSource(
        new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)),
        YamlTreeReader.Limits.DEFAULT).read(List.of("-"), Progress.NONE);
    return new Inventory(read.objects(), read.errors(), read.notes());
  }
}

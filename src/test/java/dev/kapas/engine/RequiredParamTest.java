package dev.kapas.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.inventory.Inventory;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule with a required parameter is off until it is set: no findings, and no passes counted. */
class RequiredParamTest {
  private static final String RULE = "container.image-registry-untrusted";
  private static final String FIXTURE = "src/test/resources/rules/" + RULE + "/pass-no-list.yaml";

  @Test
  void ruleWithoutItsRequiredParamDoesNotRun() {
    Evaluation evaluation = run(Map.of());
    assertThat(evaluation.rules()).isEmpty();
    assertThat(evaluation.evaluatedCount(RULE)).isZero();
    assertThat(evaluation.findings()).isEmpty();
  }

  @Test
  void ruleRunsOnceTheParamIsSet() {
    Evaluation evaluation = run(Map.of(RULE, Map.of("trustedRegistries", List.of("registry.example.com"))));
    assertThat(evaluation.rules()).hasSize(1);
    assertThat(evaluation.evaluatedCount(RULE)).isEqualTo(1);
    assertThat(evaluation.findings()).hasSize(1);
  }

  @Test
  void specSaysWhichParamsAreRequired() {
    RuleSpec spec = RuleCatalog.builtIn().find(RULE).orElseThrow().spec();
    assertThat(spec.param("trustedRegistries")).hasValueSatisfying(p -> assertThat(p.required()).isTrue());
    assertThat(spec.activeWith(Map.of())).isFalse();
    assertThat(spec.activeWith(Map.of("trustedRegistries", List.of()))).isFalse();
    assertThat(spec.activeWith(Map.of("trustedRegistries", List.of("ghcr.io")))).isTrue();
  }

  private static Evaluation run(Map<String, Map<String, List<String>>> params) {
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(FIXTURE), Progress.NONE);
    Rule rule = RuleCatalog.builtIn().find(RULE).orElseThrow();
    return new Engine(List.of(rule), new Engine.Settings(PssVersion.LATEST, PssLevel.BASELINE, params))
        .run(new Inventory(read.objects(), read.errors(), read.notes()));
  }
}

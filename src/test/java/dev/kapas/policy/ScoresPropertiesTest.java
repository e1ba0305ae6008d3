package dev.kapas.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Properties of the score (README, "Scores"), each checked on many random scans: rules of every
 * layer, a random number of objects each rule checked, random findings of random severities.
 * Property-based without a library: a seeded {@link Random} makes every case reproducible, and a
 * failure names the seed and the case. (jqwik was the candidate; its 1.10 releases are built on
 * JUnit Platform 1.x, not the 6.x this project runs.)
 */
class ScoresPropertiesTest {
  private static final int CASES = 400;
  private static final List<Rule> RULES = pickRules();

  /** A random scan: which objects each rule checked and which of them it failed. */
  record Scan(Map<String, BitSet> evaluated, List<Finding> findings, int inputErrors) {
    Scores scores() {
      Evaluation evaluation = new Evaluation(new Inventory(List.of(), List.of(), List.of()), RULES, findings, evaluated);
      return Scores.of(evaluation, findings, inputErrors);
    }

    Scan withFinding(Finding f) {
      List<Finding> more = new ArrayList<>(findings);
      more.add(f);
      return new Scan(evaluated, more, inputErrors);
    }

    Scan withErrors(int errors) {
      return new Scan(evaluated, findings, errors);
    }

    /** The same findings among {@code extra} more objects checked by every rule that checked any. */
    Scan withMoreObjects(int extra) {
      Map<String, BitSet> more = new HashMap<>();
      evaluated.forEach((id, bits) -> {
        BitSet b = (BitSet) bits.clone();
        if (!b.isEmpty()) {
          b.set(1000, 1000 + extra);
        }
        more.put(id, b);
      });
      return new Scan(more, findings, inputErrors);
    }
  }

  @Test
  void addingAFindingNeverRaisesAScore() {
    forRandomScans((scan, random) -> {
      Scan worse = scan.withFinding(randomFinding(scan, random));
      assertNotAbove(worse.scores(), scan.scores());
    });
  }

  @Test
  void aMoreSevereFindingCostsAtLeastAsMuch() {
    forRandomScans((scan, random) -> {
      Finding f = randomFinding(scan, random);
      Severity lower = f.severity();
      Severity higher = Severity.values()[random.nextInt(lower.ordinal() + 1)];
      assertNotAbove(scan.withFinding(f.withSeverity(higher)).scores(), scan.withFinding(f).scores());
    });
  }

  @Test
  void theSameFindingsAmongMoreObjectsNeverScoreLower() {
    forRandomScans((scan, random) -> {
      Scan wider = scan.withMoreObjects(1 + random.nextInt(50));
      assertNotAbove(scan.scores(), wider.scores());
    });
  }

  @Test
  void suppressedFindingsDoNotCount() {
    forRandomScans((scan, random) -> {
      Finding f = randomFinding(scan, random).suppressedBecause("accepted");
      assertThat(scan.withFinding(f).scores()).isEqualTo(scan.scores());
    });
  }

  @Test
  void scoresStayWithinZeroToHundredAndAreHundredOnlyWhenClean() {
    forRandomScans((scan, random) -> {
      Scores s = scan.scores();
      s.byLayer().forEach((layer, score) -> {
        boolean clean = scan.inputErrors() == 0
            && scan.findings().stream().noneMatch(f -> !f.suppressed() && layerOf(f) == layer);
        assertThat(score).as(layer.label()).isBetween(0.0, 100.0);
        assertThat(score == 100.0).as(layer.label() + ": 100 exactly when no finding is active and every input was read")
            .isEqualTo(clean);
      });
      s.overall().ifPresent(score -> assertThat(score == 100.0)
          .isEqualTo(scan.inputErrors() == 0 && scan.findings().stream().allMatch(Finding::suppressed)));
    });
  }

  @Test
  void inputErrorsKeepEveryScoreBelowHundred() {
    forRandomScans((scan, random) -> {
      Scores s = scan.withErrors(1 + random.nextInt(3)).scores();
      s.byLayer().values().forEach(score -> assertThat(score).isLessThan(100.0));
      s.overall().ifPresent(score -> assertThat(score).isLessThan(100.0));
    });
  }

  @Test
  void nothingCheckedHasNoScoreEvenWithInputErrors() {
    Scores s = new Scan(Map.of(), List.of(), 2).scores();
    assertThat(s.overall()).isEmpty();
    assertThat(s.byLayer()).isEmpty();
    assertThat(s.checks()).isZero();
  }

  @Test
  void theFormulaAsDocumented() {
    assertThat(Scores.score(1, Severity.CRITICAL.weight())).isEqualTo(50.0);
    assertThat(Scores.score(1, Severity.LOW.weight())).isEqualTo(83.3);
    assertThat(Scores.score(100, Severity.CRITICAL.weight())).isEqualTo(99.0);
    assertThat(Scores.score(100, Severity.LOW.weight())).isEqualTo(99.8);
    assertThat(Scores.score(100_000, Severity.INFO.weight())).as("rounds to 100 but a finding is active").isEqualTo(99.9);
    assertThat(Scores.score(7, 0)).isEqualTo(100.0);
  }

  private static void assertNotAbove(Scores lower, Scores higher) {
    lower.overall().ifPresent(l -> assertThat(l).isLessThanOrEqualTo(higher.overall().orElseThrow()));
    lower.byLayer().forEach((layer, l) -> {
      Double h = higher.byLayer().get(layer);
      if (h != null) {
        assertThat(l).as(layer.label()).isLessThanOrEqualTo(h);
      }
    });
  }

  private static void forRandomScans(BiConsumer<Scan, Random> property) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      Scan scan = randomScan(random);
      try {
        property.accept(scan, random);
      } catch (AssertionError e) {
        throw new AssertionError("case " + i + " of seed " + seed + ": " + scan + "\n" + e.getMessage(), e);
      }
    }
  }

  private static Scan randomScan(Random random) {
    Map<String, BitSet> evaluated = new HashMap<>();
    List<Finding> findings = new ArrayList<>();
    for (Rule rule : RULES) {
      BitSet bits = new BitSet();
      int objects = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
      bits.set(0, objects);
      evaluated.put(rule.spec().id(), bits);
      for (int i = 0; i < objects; i++) {
        if (random.nextInt(5) == 0) {
          Finding f = finding(rule.spec().id(), i, Severity.values()[random.nextInt(Severity.values().length)]);
          findings.add(random.nextInt(6) == 0 ? f.suppressedBecause("accepted") : f);
        }
      }
    }
    return new Scan(evaluated, findings, random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
  }

  /** A finding of a rule that checked something, on one of the objects it checked (or a new one). */
  private static Finding randomFinding(Scan scan, Random random) {
    List<String> checking = scan.evaluated().entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey).sorted().toList();
    String rule = checking.isEmpty() ? RULES.get(0).spec().id() : checking.get(random.nextInt(checking.size()));
    return finding(rule, random.nextInt(40), Severity.values()[random.nextInt(Severity.values().length)]);
  }

  private static Finding finding(String ruleId, int object, Severity severity) {
    return Finding.of(ruleId, severity, "seen", new ObjectRef("v1", "ConfigMap", "default", "cm-" + object),
        new Location("scan.yaml", object + 1, 1, ""));
  }

  private static Layer layerOf(Finding f) {
    return RULES.stream().filter(r -> r.spec().id().equals(f.ruleId())).findFirst().orElseThrow().spec().layer();
  }

  /** Two rules of each layer that has rules, so scores per layer and overall differ. */
  private static List<Rule> pickRules() {
    List<Rule> picked = new ArrayList<>();
    for (Layer layer : Layer.values()) {
      RuleCatalog.builtIn().all().stream().filter(r -> r.spec().layer() == layer).limit(2).forEach(picked::add);
    }
    return List.copyOf(picked);
  }
}

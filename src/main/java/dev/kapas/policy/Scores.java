package dev.kapas.policy;

import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Rule;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores per layer and overall, 0-100, from what was checked and what failed:
 *
 * <pre>score = 100 x 10N / (10N + P)</pre>
 *
 * where N is the number of objects (and facts) the layer's rules checked, and P the penalty: for
 * every (rule, object) pair with an active finding, the weight of its most severe finding
 * (critical 10, high 7, medium 4, low 2, info 1), plus 10 for every input that could not be read
 * (it may hide findings of any layer). Each object checked is worth one critical finding: one
 * critical finding on one object scores 50, one low finding 83.3; the same finding among 100
 * objects 99.0 and 99.8. A score falls with every added finding, more for a severe one, less
 * the more objects were checked; it is absent ({@code -}) where nothing was checked, and below
 * 100 (at most 99.9) whenever a finding is active or an input failed.
 *
 * @param byLayer score of each layer whose rules checked anything
 * @param overall score over every layer; empty when nothing was checked
 * @param checks number of (rule, object) checks evaluated
 * @param failedChecks number of those with an active finding
 */
public record Scores(Map<Layer, Double> byLayer, Optional<Double> overall, int checks, int failedChecks) {

  /** What one checked object weighs against the penalty. */
  static final int OBJECT_WEIGHT = 10;
  /** What an input that could not be read costs: as much as a critical finding. */
  static final int INPUT_ERROR_WEIGHT = Severity.CRITICAL.weight();

  public static Scores of(Evaluation evaluation, List<Finding> findings, int inputErrors) {
    Map<String, Map<Object, Severity>> worst = new HashMap<>();
    for (Finding f : findings) {
      if (!f.suppressed()) {
        worst.computeIfAbsent(f.ruleId(), k -> new HashMap<>())
            .merge(f.objectIdentity(), f.severity(), (a, b) -> a.atLeast(b) ? a : b);
      }
    }
    Map<Layer, BitSet> checkedByLayer = new EnumMap<>(Layer.class);
    Map<Layer, Long> penaltyByLayer = new EnumMap<>(Layer.class);
    BitSet checkedAll = new BitSet();
    int checks = 0;
    int failed = 0;
    for (Rule rule : evaluation.rules()) {
      String id = rule.spec().id();
      BitSet evaluated = evaluation.evaluated().getOrDefault(id, new BitSet());
      Map<Object, Severity> failing = worst.getOrDefault(id, Map.of());
      if (evaluated.isEmpty() && failing.isEmpty()) {
        continue;
      }
      Layer layer = rule.spec().layer();
      checkedByLayer.computeIfAbsent(layer, k -> new BitSet()).or(evaluated);
      checkedAll.or(evaluated);
      checks += evaluated.cardinality();
      failed += Math.min(evaluated.cardinality(), failing.size());
      penaltyByLayer.merge(layer, failing.values().stream().mapToLong(Severity::weight).sum(), Long::sum);
    }
    long errorPenalty = (long) INPUT_ERROR_WEIGHT * inputErrors;
    Map<Layer, Double> byLayer = new EnumMap<>(Layer.class);
    long penaltyAll = errorPenalty;
    for (Map.Entry<Layer, BitSet> e : checkedByLayer.entrySet()) {
      long penalty = penaltyByLayer.getOrDefault(e.getKey(), 0L);
      penaltyAll += penalty;
      byLayer.put(e.getKey(), score(e.getValue().cardinality(), penalty + errorPenalty));
    }
    Optional<Double> overall = checkedByLayer.isEmpty() ? Optional.empty()
        : Optional.of(score(checkedAll.cardinality(), penaltyAll));
    return new Scores(byLayer, overall, checks, failed);
  }

  /** The formula above for {@code objects} checked, rounded to one decimal, never 100 with a penalty. */
  static double score(long objects, long penalty) {
    double exact = 100.0 * OBJECT_WEIGHT * objects / (OBJECT_WEIGHT * objects + penalty);
    double rounded = Math.round(exact * 10) / 10.0;
    return penalty > 0 ? Math.min(rounded, 99.9) : rounded;
  }
}

package dev.kapas.policy;

import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores per layer and overall, 0-100: every (rule, object) check that was evaluated counts with
 * the rule's severity weight; a check passes unless an active (unsuppressed) finding failed it.
 *
 * @param byLayer score of each layer that had any check
 * @param overall score over all checks; 100 when nothing was evaluated
 * @param checks number of (rule, object) checks evaluated
 * @param failedChecks number of those that failed
 */
public record Scores(Map<Layer, Double> byLayer, double overall, int checks, int failedChecks) {

  public static Scores of(Evaluation evaluation, List<Finding> findings, Map<String, Severity> overrides) {
    Map<String, Set<Object>> failedObjects = new HashMap<>();
    for (Finding f : findings) {
      if (!f.suppressed()) {
        failedObjects.computeIfAbsent(f.ruleId(), k -> new HashSet<>())
            .add(f.objectIdentity());
      }
    }
    Map<Layer, long[]> sums = new EnumMap<>(Layer.class);
    long total = 0;
    long passed = 0;
    int checks = 0;
    int failed = 0;
    for (Rule rule : evaluation.rules()) {
      RuleSpec spec = rule.spec();
      int evaluated = evaluation.evaluatedCount(spec.id());
      if (evaluated == 0) {
        continue;
      }
      int fails = Math.min(evaluated, failedObjects.getOrDefault(spec.id(), Set.of()).size());
      int weight = Optional.ofNullable(overrides.get(spec.id())).orElse(spec.severity()).weight();
      long[] s = sums.computeIfAbsent(spec.layer(), k -> new long[2]);
      s[0] += (long) weight * evaluated;
      s[1] += (long) weight * (evaluated - fails);
      total += (long) weight * evaluated;
      passed += (long) weight * (evaluated - fails);
      checks += evaluated;
      failed += fails;
    }
    Map<Layer, Double> byLayer = new EnumMap<>(Layer.class);
    sums.forEach((layer, s) -> byLayer.put(layer, percent(s[1], s[0])));
    return new Scores(byLayer, percent(passed, total), checks, failed);
  }

  private static double percent(long part, long whole) {
    return whole == 0 ? 100.0 : Math.round(1000.0 * part / whole) / 10.0;
  }
}

package dev.kapas.engine;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Subject;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * What the engine produced: the findings, the rules that ran, and for each rule which objects
 * and facts it evaluated (by index: objects first, then facts), so scores and JUnit can count
 * passes too.
 */
public record Evaluation(Inventory inventory, List<Rule> rules, List<Finding> findings,
    Map<String, BitSet> evaluated) {

  /** The objects and facts {@code ruleId} was evaluated on, in inventory order, objects first. */
  public List<Subject> evaluatedSubjects(String ruleId) {
    BitSet bits = evaluated.getOrDefault(ruleId, new BitSet());
    List<KubeObject> objects = inventory.objects();
    List<Fact> facts = inventory.facts();
    return bits.stream()
        .mapToObj(i -> i < objects.size() ? (Subject) objects.get(i) : facts.get(i - objects.size()))
        .toList();
  }

  public int evaluatedCount(String ruleId) {
    BitSet bits = evaluated.get(ruleId);
    return bits == null ? 0 : bits.cardinality();
  }
}

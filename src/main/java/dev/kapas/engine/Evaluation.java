package dev.kapas.engine;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * What the engine produced: the findings, the rules that ran, and for each rule which objects
 * it evaluated (by index into the inventory), so scores and JUnit can count passes too.
 */
public record Evaluation(Inventory inventory, List<Rule> rules, List<Finding> findings,
    Map<String, BitSet> evaluated) {

  /** The objects {@code ruleId} was evaluated on, in inventory order. */
  public List<KubeObject> evaluatedObjects(String ruleId) {
    BitSet bits = evaluated.getOrDefault(ruleId, new BitSet());
    List<KubeObject> objects = inventory.objects();
    return bits.stream().mapToObj(objects::get).toList();
  }

  public int evaluatedCount(String ruleId) {
    BitSet bits = evaluated.get(ruleId);
    return bits == null ? 0 : bits.cardinality();
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import java.util.Optional;
import java.util.function.Function;

/**
 * The walk shared by namespace-level rules: each namespace that holds pod-bearing objects in this
 * scan is one check, reported at its Namespace object when the scan has it, else at its first
 * pod-bearing object. Namespaces the scan knows nothing about are never judged.
 */
final class NamespaceCheck {
  private NamespaceCheck() {}

  /**
   * Runs {@code problem} on every namespace holding pods; a non-empty answer is the finding's
   * message tail, after "namespace `x` (N objects in this scan) ".
   */
  static void eachNamespaceWithPods(Inventory inventory, RuleContext ctx, Function<String, Optional<String>> problem) {
    Namespaces namespaces = inventory.namespaces();
    for (String ns : namespaces.names()) {
      if (namespaces.pods(ns).isEmpty()) {
        continue;
      }
      KubeObject anchor = namespaces.anchor(ns).orElseThrow();
      ctx.evaluated(anchor);
      Optional<String> found = problem.apply(ns);
      if (found.isPresent()) {
        ctx.fail(anchor, at(anchor), describe(namespaces, ns) + " " + found.get());
      }
    }
  }

  /** {@code namespace `shop` (5 objects in this scan)}. */
  static String describe(Namespaces namespaces, String ns) {
    int count = namespaces.objects(ns).size();
    return "namespace `" + ns + "` (" + count + (count == 1 ? " object" : " objects") + " in this scan)";
  }

  private static Field at(KubeObject anchor) {
    Field metadata = Field.root(anchor.root()).get("metadata");
    return anchor.kind().equals("Namespace") ? metadata.get("name") : metadata.get("namespace");
  }
}

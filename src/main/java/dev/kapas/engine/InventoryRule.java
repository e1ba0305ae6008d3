package dev.kapas.engine;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.KubeObject;

/**
 * Checks the inventory as a whole (questions across objects). It must tell the context which
 * objects it evaluated ({@link RuleContext#evaluated}), so scores and JUnit reports count them.
 */
public non-sealed interface InventoryRule extends Rule {
  void check(Inventory inventory, RuleContext ctx);

  /**
   * Whether a finding of this rule can be about {@code object}: kapas serve runs, for the object
   * of an admission request, only the inventory rules that can report on it. True unless the
   * rule says otherwise.
   */
  default boolean mayReportOn(KubeObject object) {
    return true;
  }
}

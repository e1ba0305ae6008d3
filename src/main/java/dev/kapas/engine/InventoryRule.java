package dev.kapas.engine;

import dev.kapas.inventory.Inventory;

/**
 * Checks the inventory as a whole (questions across objects). It must tell the context which
 * objects it evaluated ({@link RuleContext#evaluated}), so scores and JUnit reports count them.
 */
public non-sealed interface InventoryRule extends Rule {
  void check(Inventory inventory, RuleContext ctx);
}

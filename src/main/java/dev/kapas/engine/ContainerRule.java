package dev.kapas.engine;

import dev.kapas.model.ContainerView;

/** Checks each container (all three lists) of every pod-bearing object. */
public non-sealed interface ContainerRule extends Rule {
  void check(ContainerView container, RuleContext ctx);
}

package dev.kapas.engine;

import dev.kapas.model.PodView;

/** Checks the pod spec of every pod-bearing object once. */
public non-sealed interface PodRule extends Rule {
  void check(PodView pod, RuleContext ctx);
}

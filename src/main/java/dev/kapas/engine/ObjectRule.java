package dev.kapas.engine;

import dev.kapas.model.KubeObject;

/** Checks objects one at a time; {@link #appliesTo} says which (by kind, usually). */
public non-sealed interface ObjectRule extends Rule {
  boolean appliesTo(KubeObject object);

  void check(KubeObject object, RuleContext ctx);
}

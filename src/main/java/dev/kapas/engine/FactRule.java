package dev.kapas.engine;

import dev.kapas.model.Fact;
import dev.kapas.model.FactInUse;

/**
 * Checks each fact of one type (a component's flags, a file's mode, a port's answer); the
 * engine hands it every fact of {@link #type()} and counts each as evaluated. Findings go to
 * {@link RuleContext#fail(dev.kapas.model.Location, String)}.
 */
public non-sealed interface FactRule<T extends Fact> extends Rule {
  Class<T> type();

  /**
   * Whether this fact is one the rule judges (an etcd rule and a closed SSH port have nothing to
   * do with each other); only those count as evaluated, so scores are not padded with facts the
   * rule never looked at.
   */
  default boolean appliesTo(T fact) {
    return true;
  }

  /**
   * Whether the rule judges {@code fact} as {@code use} uses it (an object's own settings may
   * override the fact's: a pod's {@code runAsNonRoot} the image's user); by default as {@link
   * #appliesTo(Fact)}.
   */
  default boolean appliesTo(T fact, FactInUse use) {
    return appliesTo(fact);
  }

  void check(T fact, RuleContext ctx);
}

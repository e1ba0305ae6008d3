package dev.kapas.engine;

import dev.kapas.model.Finding;
import dev.kapas.model.Subject;

/**
 * A check. A rule is a small stateless final class that declares its metadata once, in {@link
 * #spec()}, and picks its input by the interface it implements; the engine does the walking. Rules
 * live under {@code dev.kapas.rules} and are found at compile time (see {@code RuleIndexProcessor}),
 * so adding one is adding its class and its fixtures.
 */
public sealed interface Rule permits ContainerRule, PodRule, ObjectRule, InventoryRule, FactRule {
  RuleSpec spec();

  /**
   * Whether {@code control}, one of the framework controls this rule declares, is about {@code
   * subject}: a rule can implement several controls that each concern other things (the profiling
   * rule is CIS 1.2.15 for the API server and 1.4.1 for the scheduler). By default every control
   * concerns everything the rule evaluates.
   */
  default boolean concerns(Subject subject, String control) {
    return true;
  }

  /** Whether {@code finding} (of this rule) fails {@code control}; by default it fails each of the rule's controls. */
  default boolean fails(Finding finding, String control) {
    return true;
  }
}

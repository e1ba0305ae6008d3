package dev.kapas.engine;

/**
 * A check. A rule is a small stateless final class that declares its metadata once, in {@link
 * #spec()}, and picks its input by the interface it implements; the engine does the walking. Rules
 * live under {@code dev.kapas.rules} and are found at compile time (see {@code RuleIndexProcessor}),
 * so adding one is adding its class and its fixtures.
 */
public sealed interface Rule permits ContainerRule, PodRule, ObjectRule, InventoryRule, FactRule {
  RuleSpec spec();
}

package dev.kapas.inventory.rbac;

/**
 * One link of the chain "subject holds rule": the subject, the binding that names it, the role
 * the binding refers to, and the rule of that role (which may be written in a component of an
 * aggregated ClusterRole).
 */
public record Grant(Subject subject, Binding binding, Role role, PolicyRule rule) {

  /** Where the right applies: empty for cluster-wide, else one namespace. */
  public String scope() {
    return binding.scope();
  }
}

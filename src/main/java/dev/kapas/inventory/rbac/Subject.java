package dev.kapas.inventory.rbac;

import dev.kapas.model.Field;

/**
 * Who a binding grants to: a User, Group or ServiceAccount. A ServiceAccount's namespace is
 * already defaulted (to the RoleBinding's own namespace when the subject leaves it out, as the
 * authorizer does); it is empty for Users and Groups.
 *
 * @param at the {@code subjects[i]} entry
 */
public record Subject(String kind, String name, String namespace, Field at) {
  public static final String USER = "User";
  public static final String GROUP = "Group";
  public static final String SERVICE_ACCOUNT = "ServiceAccount";

  /** {@code User alice}, {@code ServiceAccount shop/web}. */
  public String display() {
    return kind + " `" + (namespace.isEmpty() ? name : namespace + "/" + name) + "`";
  }

  /** The user name the API server sees: ServiceAccounts are {@code system:serviceaccount:NS:NAME}. */
  public String userName() {
    return kind.equals(SERVICE_ACCOUNT) ? "system:serviceaccount:" + namespace + ":" + name : name;
  }

  /** Same kind, name and namespace (positions aside). */
  public boolean sameAs(Subject other) {
    return kind.equals(other.kind) && name.equals(other.name) && namespace.equals(other.namespace);
  }
}

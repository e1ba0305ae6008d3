package dev.kapas.model;

import java.util.Objects;

/** How reports name an object: apiVersion, kind, namespace (may be empty) and name. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

  /** {@code Deployment/shop/web}, or {@code Namespace/shop} for cluster-scoped objects. */
  public String display() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }

  // equals and hashCode written out, as Finding's Identity's: a record's own are made at run time
  // (ObjectMethods' bootstrap), which no class cache holds; this is the record compared first
  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectRef other && Objects.equals(apiVersion, other.apiVersion)
        && Objects.equals(kind, other.kind) && Objects.equals(namespace, other.namespace)
        && Objects.equals(name, other.name);
  }

  /** The record's own hash (each component's, combined as h * 31 + next), so hash orders stay as they were. */
  @Override
  public int hashCode() {
    int h = Objects.hashCode(apiVersion);
    h = h * 31 + Objects.hashCode(kind);
    h = h * 31 + Objects.hashCode(namespace);
    return h * 31 + Objects.hashCode(name);
  }
}

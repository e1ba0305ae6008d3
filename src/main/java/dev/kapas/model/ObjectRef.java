package dev.kapas.model;

/** How reports name an object: apiVersion, kind, namespace (may be empty) and name. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

  /** {@code Deployment/shop/web}, or {@code Namespace/shop} for cluster-scoped objects. */
  public String display() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }
}

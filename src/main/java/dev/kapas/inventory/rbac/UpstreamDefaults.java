package dev.kapas.inventory.rbac;

import dev.kapas.model.KubeObject;
import java.util.Set;

/**
 * The RBAC objects every cluster has: the API server's bootstrap policy and what kubeadm adds.
 * They grant powerful rights by design (the controllers need them) and are not the user's to
 * change, so rules leave them alone.
 *
 * <p>The API server labels its bootstrap objects {@code kubernetes.io/bootstrapping:
 * rbac-defaults}; the label alone is not enough (anyone can write it), so the name must be one
 * upstream uses as well: {@code system:*}, or the user-facing {@code cluster-admin}, {@code
 * admin}, {@code edit}, {@code view}. kubeadm's objects carry no label: they are known by name
 * ({@code kubeadm:*}, and the {@code kube-proxy} Role and RoleBinding in {@code kube-system}).
 */
public final class UpstreamDefaults {
  static final String BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
  static final String BOOTSTRAP_VALUE = "rbac-defaults";
  private static final Set<String> USER_FACING = Set.of("cluster-admin", "admin", "edit", "view");

  private UpstreamDefaults() {}

  public static boolean isDefault(KubeObject object) {
    String name = object.name();
    if (BOOTSTRAP_VALUE.equals(object.labels().get(BOOTSTRAP_LABEL))
        && (name.startsWith("system:") || USER_FACING.contains(name))) {
      return true;
    }
    if (name.startsWith("kubeadm:")) {
      return true;
    }
    return name.equals("kube-proxy") && object.namespace().equals("kube-system")
        && (object.kind().equals(RbacGraph.ROLE) || object.kind().equals(RbacGraph.ROLE_BINDING));
  }
}

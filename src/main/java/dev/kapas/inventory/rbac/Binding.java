package dev.kapas.inventory.rbac;

import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import java.util.List;

/**
 * A RoleBinding or ClusterRoleBinding. A RoleBinding grants within its own namespace only, also
 * when it refers to a ClusterRole.
 *
 * @param namespace the RoleBinding's namespace ({@code default} when the manifest sets none); empty for a ClusterRoleBinding
 * @param roleKind {@code Role} or {@code ClusterRole}, from {@code roleRef.kind}
 * @param roleRef the {@code roleRef} field
 */
public record Binding(KubeObject object, boolean cluster, String namespace, String name, String roleKind,
    String roleName, Field roleRef, List<Subject> subjects, boolean upstreamDefault) {

  public Binding {
    subjects = List.copyOf(subjects);
  }

  public String kind() {
    return cluster ? RbacGraph.CLUSTER_ROLE_BINDING : RbacGraph.ROLE_BINDING;
  }

  /** {@code ClusterRoleBinding `ops`}, {@code RoleBinding `shop/readers`}. */
  public String display() {
    return kind() + " `" + (cluster ? name : namespace + "/" + name) + "`";
  }

  /** Where the grant applies: empty for cluster-wide, else the binding's namespace. */
  public String scope() {
    return cluster ? "" : namespace;
  }

  /** The key of the role it refers to, as {@link Role#key()} spells it. */
  String roleKey() {
    return roleKind.equals(RbacGraph.ROLE)
        ? RbacGraph.key(RbacGraph.ROLE, namespace, roleName)
        : RbacGraph.key(RbacGraph.CLUSTER_ROLE, "", roleName);
  }
}

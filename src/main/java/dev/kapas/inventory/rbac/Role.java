package dev.kapas.inventory.rbac;

import dev.kapas.model.KubeObject;
import java.util.List;

/**
 * A Role or ClusterRole as the authorizer sees it.
 *
 * @param namespace the Role's namespace ({@code default} when the manifest sets none); empty for a ClusterRole
 * @param ownRules the rules written in this object
 * @param rules what the role grants: its own rules; for an aggregating ClusterRole, instead, the
 *     rules of every ClusterRole its {@code clusterRoleSelectors} match (transitively), since the
 *     aggregation controller overwrites its own
 * @param aggregating it has an {@code aggregationRule}
 * @param upstreamDefault it is one of the roles Kubernetes or kubeadm creates (see {@link UpstreamDefaults})
 */
public record Role(KubeObject object, boolean cluster, String namespace, String name, List<PolicyRule> ownRules,
    List<PolicyRule> rules, boolean aggregating, boolean upstreamDefault) {

  public Role {
    ownRules = List.copyOf(ownRules);
    rules = List.copyOf(rules);
  }

  public String kind() {
    return cluster ? RbacGraph.CLUSTER_ROLE : RbacGraph.ROLE;
  }

  /** {@code ClusterRole `view`}, {@code Role `shop/reader`}. */
  public String display() {
    return kind() + " `" + (cluster ? name : namespace + "/" + name) + "`";
  }

  String key() {
    return RbacGraph.key(kind(), namespace, name);
  }
}

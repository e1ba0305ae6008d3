package dev.kapas.inventory.rbac;

import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import java.util.List;

/**
 * The upstream {@code cluster-admin} ClusterRole, for scans that bind it without defining it
 * (the usual case: manifests never ship it). Its rules are fixed by the API server's bootstrap
 * policy: everything, on every resource and URL. Other default roles change between versions
 * and are not assumed.
 */
public final class BuiltInRoles {
  public static final String ORIGIN = "(built-in)";
  static final String CLUSTER_ADMIN = "cluster-admin";

  private BuiltInRoles() {}

  static KubeObject clusterAdmin() {
    Node all = list(scalar("*"));
    MapNode resources = map(List.of("apiGroups", "resources", "verbs"), List.of(all, all, all));
    MapNode urls = map(List.of("nonResourceURLs", "verbs"), List.of(all, all));
    MapNode metadata = map(List.of("name", "labels"), List.of(scalar(CLUSTER_ADMIN),
        map(List.of(UpstreamDefaults.BOOTSTRAP_LABEL), List.of(scalar(UpstreamDefaults.BOOTSTRAP_VALUE)))));
    MapNode root = map(List.of("apiVersion", "kind", "metadata", "rules"), List.of(
        scalar("rbac.authorization.k8s.io/v1"), scalar(RbacGraph.CLUSTER_ROLE), metadata,
        new ListNode(List.of(resources, urls), 0, 0)));
    return new KubeObject(root, new Origin(ORIGIN, 0, 0, 0));
  }

  private static MapNode map(List<String> keys, List<Node> values) {
    return new MapNode(keys, values, 0, 0);
  }

  private static Node scalar(String value) {
    return new ScalarNode(value, false, 0, 0);
  }

  private static Node list(Node item) {
    return new ListNode(List.of(item), 0, 0);
  }
}

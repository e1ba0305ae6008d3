package dev.kapas.inventory.rbac;

import java.util.Set;

/** Built-in resources that live outside namespaces: a RoleBinding cannot grant them. */
final class ClusterScoped {
  static final Set<String> RESOURCES = Set.of("nodes", "namespaces", "persistentvolumes",
      "clusterroles", "clusterrolebindings", "customresourcedefinitions", "storageclasses",
      "certificatesigningrequests", "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
      "validatingadmissionpolicies", "validatingadmissionpolicybindings", "priorityclasses",
      "apiservices", "csidrivers", "csinodes", "runtimeclasses", "ingressclasses", "volumeattachments",
      "componentstatuses", "tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews",
      "selfsubjectrulesreviews", "signers", "users", "groups", "uids", "userextras");

  private ClusterScoped() {}
}

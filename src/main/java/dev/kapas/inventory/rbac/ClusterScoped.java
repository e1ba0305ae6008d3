package dev.kapas.inventory.rbac;

import java.util.Set;

/**
 * Built-in resources that live outside namespaces: a RoleBinding cannot grant them, since the
 * authorizer only consults a namespace's RoleBindings for requests in that namespace. The one
 * exception is a Namespace itself: {@code /api/v1/namespaces/shop} (and its {@code status} and
 * {@code finalize}) is a request in namespace {@code shop}, so a RoleBinding there grants verbs on
 * that Namespace object; only the collection ({@code list}, {@code create}, {@code deletecollection})
 * is addressed outside every namespace.
 */
final class ClusterScoped {
  private static final Set<String> RESOURCES = Set.of("nodes", "persistentvolumes",
      "clusterroles", "clusterrolebindings", "customresourcedefinitions", "storageclasses",
      "certificatesigningrequests", "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
      "validatingadmissionpolicies", "validatingadmissionpolicybindings", "priorityclasses",
      "apiservices", "csidrivers", "csinodes", "runtimeclasses", "ingressclasses", "volumeattachments",
      "componentstatuses", "tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews",
      "selfsubjectrulesreviews", "signers", "users", "groups", "uids", "userextras");
  private static final String NAMESPACES = "namespaces";
  private static final Set<String> COLLECTION_VERBS = Set.of("list", "create", "deletecollection");

  private ClusterScoped() {}

  /** Whether a RoleBinding can grant {@code verb} on {@code resource} (in its own namespace). */
  static boolean grantableByRoleBinding(String verb, String resource) {
    if (resource.equals(NAMESPACES)) {
      return !COLLECTION_VERBS.contains(verb);
    }
    return !RESOURCES.contains(resource);
  }
}

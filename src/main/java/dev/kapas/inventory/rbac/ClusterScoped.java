package dev.kapas.inventory.rbac;

import dev.kapas.model.KubeObject;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which resources live outside namespaces, so that a RoleBinding cannot grant them: the
 * authorizer only consults a namespace's RoleBindings for requests in that namespace. Built-in
 * resources are known; custom resources are cluster-scoped when a CustomResourceDefinition in the
 * scan says so ({@code spec.scope: Cluster}), or when a live server's discovery does. The one
 * exception is a Namespace itself: {@code /api/v1/namespaces/shop} (and its {@code status} and
 * {@code finalize}) is a request in namespace {@code shop}, so a RoleBinding there grants verbs on
 * that Namespace object; only the collection ({@code list}, {@code create}, {@code deletecollection})
 * is addressed outside every namespace.
 */
final class ClusterScoped {
  private static final Set<String> BUILT_IN = Set.of("nodes", "persistentvolumes",
      "clusterroles", "clusterrolebindings", "customresourcedefinitions", "storageclasses",
      "certificatesigningrequests", "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
      "validatingadmissionpolicies", "validatingadmissionpolicybindings", "priorityclasses",
      "apiservices", "csidrivers", "csinodes", "runtimeclasses", "ingressclasses", "volumeattachments",
      "componentstatuses", "tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews",
      "selfsubjectrulesreviews", "signers", "users", "groups", "uids", "userextras");
  private static final String NAMESPACES = "namespaces";
  private static final Set<String> COLLECTION_VERBS = Set.of("list", "create", "deletecollection");

  /** {@code plural.group} of the custom resources known to be cluster-scoped. */
  private final Set<String> custom;
  private final Set<String> customPlurals = new HashSet<>();

  static boolean isCrd(KubeObject o) {
    return o.kind().equals("CustomResourceDefinition") && o.apiVersion().startsWith("apiextensions.k8s.io/");
  }

  /**
   * {@code crds}: CustomResourceDefinitions; {@code known}: more cluster-scoped resources, as
   * {@code plural.group} (from a server's discovery).
   */
  ClusterScoped(List<KubeObject> crds, Set<String> known) {
    Set<String> all = new HashSet<>(known);
    for (KubeObject o : crds) {
      if (o.root().path("spec", "scope").textOr("").equals("Cluster")) {
        String plural = o.root().path("spec", "names", "plural").textOr("");
        if (!plural.isEmpty()) {
          all.add(plural + "." + o.root().path("spec", "group").textOr(""));
        }
      }
    }
    this.custom = Set.copyOf(all);
    for (String r : custom) {
      customPlurals.add(r.substring(0, r.indexOf('.') < 0 ? r.length() : r.indexOf('.')));
    }
  }

  /**
   * Whether a RoleBinding can grant {@code verb} on {@code resource} of {@code group} (empty: any
   * group) in its own namespace.
   */
  boolean grantableByRoleBinding(String verb, Optional<String> group, String resource) {
    if (resource.equals(NAMESPACES)) {
      return !COLLECTION_VERBS.contains(verb);
    }
    if (BUILT_IN.contains(resource)) {
      return false;
    }
    return group.isPresent() ? !custom.contains(resource + "." + group.get()) : !customPlurals.contains(resource);
  }
}

package dev.kapas.source.cluster;

import java.util.List;

/**
 * A kind kapas reads from a live cluster: its API group ({@code ""} for core), the versions to
 * try in order of preference (the first one the server serves wins, so each kind is listed
 * once), its plural resource name and whether it is namespaced. {@code metadataOnly} kinds are
 * listed as PartialObjectMetadata: only names, labels and annotations ever leave the server.
 */
record ApiResource(String group, List<String> versions, String plural, String kind, boolean namespaced,
    boolean metadataOnly) {

  private static ApiResource core(String plural, String kind, boolean namespaced) {
    return new ApiResource("", List.of("v1"), plural, kind, namespaced, false);
  }

  private static ApiResource of(String group, String plural, String kind, boolean namespaced, String... versions) {
    return new ApiResource(group, List.of(versions), plural, kind, namespaced, false);
  }

  /** Every kind the rules look at (workloads, their policies, RBAC, admission), in listing order. */
  static final List<ApiResource> ALL = List.of(
      core("namespaces", "Namespace", false),
      core("pods", "Pod", true),
      core("services", "Service", true),
      core("serviceaccounts", "ServiceAccount", true),
      core("configmaps", "ConfigMap", true),
      new ApiResource("", List.of("v1"), "secrets", "Secret", true, true),
      core("limitranges", "LimitRange", true),
      core("resourcequotas", "ResourceQuota", true),
      core("replicationcontrollers", "ReplicationController", true),
      core("persistentvolumes", "PersistentVolume", false),
      of("apps", "deployments", "Deployment", true, "v1"),
      of("apps", "statefulsets", "StatefulSet", true, "v1"),
      of("apps", "daemonsets", "DaemonSet", true, "v1"),
      of("apps", "replicasets", "ReplicaSet", true, "v1"),
      of("batch", "jobs", "Job", true, "v1"),
      of("batch", "cronjobs", "CronJob", true, "v1", "v1beta1"),
      of("networking.k8s.io", "networkpolicies", "NetworkPolicy", true, "v1"),
      of("networking.k8s.io", "ingresses", "Ingress", true, "v1", "v1beta1"),
      of("rbac.authorization.k8s.io", "roles", "Role", true, "v1"),
      of("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true, "v1"),
      of("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, "v1"),
      of("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false, "v1"),
      of("admissionregistration.k8s.io", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false,
          "v1", "v1beta1"),
      of("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false,
          "v1", "v1beta1"),
      of("admissionregistration.k8s.io", "validatingadmissionpolicies", "ValidatingAdmissionPolicy", false,
          "v1", "v1beta1"),
      of("storage.k8s.io", "storageclasses", "StorageClass", false, "v1"));

  /** {@code /api/v1} or {@code /apis/apps/v1}. */
  static String groupVersionPath(String group, String version) {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  static String apiVersion(String group, String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** What users call it: {@code deployments.apps}, {@code pods}. */
  String display() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}

package dev.kapas.model;

import java.util.Set;

/** The built-in kinds whose objects live outside namespaces: their {@code metadata.namespace} means nothing. */
public final class ClusterScopedKinds {
  private ClusterScopedKinds() {}

  private static final Set<String> KINDS = Set.of(
      "Namespace", "Node", "PersistentVolume", "StorageClass", "CustomResourceDefinition",
      "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
      "PriorityClass", "IngressClass", "RuntimeClass", "APIService", "CSIDriver", "CSINode",
      "VolumeAttachment", "CertificateSigningRequest", "PodSecurityPolicy", "ComponentStatus",
      "FlowSchema", "PriorityLevelConfiguration", "GatewayClass", "IPAddress", "ServiceCIDR",
      "DeviceClass", "ResourceSlice", "StorageVersionMigration", "VolumeSnapshotClass");

  /** Whether objects of this kind live outside namespaces (ClusterRole, Node, ...). */
  public static boolean contains(String kind) {
    return KINDS.contains(kind) || kind.startsWith("Cluster");
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.model.Subject;
import dev.kapas.source.node.NodeFile;
import java.util.List;

/** Manifests, kubeconfigs and kubelet files readable beyond root. */
public final class NodeFilePermissions extends NodeFileRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.node-file-permissions")
      .title("Control-plane or kubelet file is readable or owned beyond root")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("Static pod manifests start the control plane with root on the node; kubeconfigs such as "
          + "admin.conf are cluster-admin credentials; the kubelet's config and service files decide "
          + "its authentication. Any local user who can read or change them can take the cluster.")
      .fix("chmod 600 and chown root:root the file (kubeadm creates them so; later copies and edits "
          + "often widen them).")
      .refs("https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/implementation-details/")
      .control("cis", "1.1.1").control("cis", "1.1.2").control("cis", "1.1.3").control("cis", "1.1.4")
      .control("cis", "1.1.5").control("cis", "1.1.6").control("cis", "1.1.7").control("cis", "1.1.8")
      .control("cis", "1.1.13").control("cis", "1.1.14").control("cis", "1.1.15").control("cis", "1.1.16")
      .control("cis", "1.1.17").control("cis", "1.1.18")
      .control("cis", "4.1.1").control("cis", "4.1.2").control("cis", "4.1.5").control("cis", "4.1.6")
      .control("cis", "4.1.9").control("cis", "4.1.10")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** Which file each pair of CIS controls (mode, owner) is about. */
  @Override
  public boolean concerns(Subject subject, String control) {
    if (!(subject instanceof NodeFile f)) {
      return false;
    }
    String name = f.name().substring(f.name().lastIndexOf('/') + 1);
    return switch (control) {
      case "1.1.1", "1.1.2" -> f.role() == NodeFile.Role.MANIFEST && name.equals("kube-apiserver.yaml");
      case "1.1.3", "1.1.4" -> f.role() == NodeFile.Role.MANIFEST && name.equals("kube-controller-manager.yaml");
      case "1.1.5", "1.1.6" -> f.role() == NodeFile.Role.MANIFEST && name.equals("kube-scheduler.yaml");
      case "1.1.7", "1.1.8" -> f.role() == NodeFile.Role.MANIFEST && name.equals("etcd.yaml");
      case "1.1.13", "1.1.14" -> name.equals("admin.conf") || name.equals("super-admin.conf");
      case "1.1.15", "1.1.16" -> name.equals("scheduler.conf");
      case "1.1.17", "1.1.18" -> name.equals("controller-manager.conf");
      case "4.1.1", "4.1.2" -> f.role() == NodeFile.Role.KUBELET_SERVICE;
      case "4.1.5", "4.1.6" -> f.what().equals(NodeFile.KUBELET_KUBECONFIG);
      case "4.1.9", "4.1.10" -> f.role() == NodeFile.Role.KUBELET_CONFIG;
      default -> false;
    };
  }

  @Override
  List<NodeFile.Role> roles() {
    return List.of(NodeFile.Role.MANIFEST, NodeFile.Role.KUBECONFIG, NodeFile.Role.KUBELET_CONFIG,
        NodeFile.Role.KUBELET_SERVICE);
  }

  @Override
  int widest() {
    return 0600;
  }

  @Override
  boolean ownerOk(NodeFile file) {
    return file.ownedByRoot();
  }

  @Override
  String expectedOwner() {
    return "root:root";
  }
}

package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;

/**
 * A file or directory on the node whose mode and owner matter, as {@code stat} would show them.
 *
 * @param path as read (under the audited root)
 * @param name the path as the node knows it, without the leading slash: {@code etc/kubernetes/admin.conf}
 * @param role what the file is, which decides how strict its mode must be
 * @param what a short label for messages: {@code kube-apiserver manifest}, {@code admin.conf}
 * @param mode permission bits (e.g. 0644)
 * @param uid owner
 * @param gid group
 * @param owner owner and group by name from the root's /etc/passwd and /etc/group (numbers when unknown)
 */
public record NodeFile(String path, String name, Role role, String what, int mode, int uid, int gid, String owner)
    implements Fact {

  /** {@link #what()} of the kubelet's kubeconfig. */
  public static final String KUBELET_KUBECONFIG = "kubelet kubeconfig";

  /** Kinds of node files. */
  public enum Role {
    /** a static pod manifest */
    MANIFEST,
    /** a kubeconfig with credentials (admin.conf, super-admin.conf, controller-manager.conf, scheduler.conf, kubelet.conf) */
    KUBECONFIG,
    /** the kubelet's config file */
    KUBELET_CONFIG,
    /** the kubelet's systemd unit or drop-in */
    KUBELET_SERVICE,
    /** a private key under the PKI directory */
    PKI_KEY,
    /** a certificate (or other non-key file) under the PKI directory */
    PKI_FILE,
    /** etcd's data directory */
    ETCD_DATA
  }

  /** {@code 0644} style. */
  public String modeText() {
    return String.format("%04o", mode);
  }

  public boolean ownedByRoot() {
    return uid == 0 && gid == 0;
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "NodeFile", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(path, 0, 0, 0);
  }
}

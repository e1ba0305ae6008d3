package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.NodeFile;
import java.util.List;

/** etcd's data directory open to other users. */
public final class EtcdDataPermissions extends NodeFileRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.etcd-data-permissions")
      .title("etcd data directory is open beyond its owner")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("The data directory is the whole cluster state, Secrets included (in plain text unless "
          + "encryption at rest is on); any local user who can read it has them all.")
      .fix("chmod 700 the data directory (kubeadm: /var/lib/etcd) and chown it to etcd:etcd (or root).")
      .refs("https://etcd.io/docs/v3.5/op-guide/security/")
      .control("cis", "1.1.11")
      .control("cis", "1.1.12")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  List<NodeFile.Role> roles() {
    return List.of(NodeFile.Role.ETCD_DATA);
  }

  @Override
  int widest() {
    return 0700;
  }

  @Override
  boolean ownerOk(NodeFile file) {
    String user = file.owner().substring(0, file.owner().indexOf(':'));
    return file.uid() == 0 || user.equals("etcd");
  }

  @Override
  String expectedOwner() {
    return "etcd or root";
  }
}

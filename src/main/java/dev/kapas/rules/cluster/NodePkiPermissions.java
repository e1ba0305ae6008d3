package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.model.Subject;
import dev.kapas.source.node.NodeFile;
import java.util.List;

/** Private keys of the cluster PKI readable beyond root. */
public final class NodePkiPermissions extends NodeFileRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.node-pki-permissions")
      .title("Cluster PKI private key is readable beyond root")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("The keys under /etc/kubernetes/pki sign every identity of the cluster (ca.key, sa.key, "
          + "etcd's CA); a local user who reads one mints cluster-admin credentials or ServiceAccount "
          + "tokens at will.")
      .fix("chmod 600 the keys and chown -R root:root /etc/kubernetes/pki.")
      .refs("https://kubernetes.io/docs/setup/best-practices/certificates/")
      .control("cis", "1.1.19")
      .control("cis", "1.1.21")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** CIS 1.1.19 is about the owner of every PKI file, 1.1.21 about the mode of the keys. */
  @Override
  public boolean concerns(Subject subject, String control) {
    return !control.equals("1.1.21") || subject instanceof NodeFile f && f.role() == NodeFile.Role.PKI_KEY;
  }

  @Override
  public boolean fails(Finding finding, String control) {
    return finding.location().path().equals(control.equals("1.1.21") ? "mode" : "owner");
  }

  @Override
  List<NodeFile.Role> roles() {
    return List.of(NodeFile.Role.PKI_KEY, NodeFile.Role.PKI_FILE);
  }

  /** Certificates are public: only their owner matters (CIS 1.1.19); keys must also be 600. */
  @Override
  public void check(NodeFile file, RuleContext ctx) {
    if (file.role() == NodeFile.Role.PKI_KEY) {
      checkMode(file, ctx);
    }
    checkOwner(file, ctx);
  }
}

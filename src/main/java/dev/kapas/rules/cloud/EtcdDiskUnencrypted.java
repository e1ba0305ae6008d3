package dev.kapas.rules.cloud;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.EtcdDiskFact;

/** etcd's data on an unencrypted disk. */
public final class EtcdDiskUnencrypted implements FactRule<EtcdDiskFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.etcd-disk-unencrypted")
      .title("etcd data is on an unencrypted disk")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("A disk or volume snapshot of an etcd node holds the whole cluster state; unencrypted, it "
          + "gives every Secret (if Kubernetes does not encrypt them itself) and every object to whoever "
          + "gets the disk, the snapshot, or a decommissioned drive.")
      .fix("Put etcd's data directory on a dm-crypt/LUKS volume, or on a cloud volume with encryption "
          + "at rest (then record it as an exception with the reason).")
      .refs("https://etcd.io/docs/v3.5/op-guide/security/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<EtcdDiskFact> type() {
    return EtcdDiskFact.class;
  }

  @Override
  public void check(EtcdDiskFact fact, RuleContext ctx) {
    if (!fact.encrypted()) {
      ctx.fail(fact.at(), "etcd data directory " + fact.dataDir() + " is on " + fact.device() + " (mounted at "
          + fact.mountPoint() + "): " + fact.evidence());
    }
  }
}

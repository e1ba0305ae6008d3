package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.EncryptionConfigFact;
import java.util.List;

/** Secrets encrypted with a key kept next to them. */
public final class EncryptionLocalKey implements FactRule<EncryptionConfigFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.encryption-local-key")
      .title("Secrets are encrypted with a key stored on the control-plane disk")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("aescbc, aesgcm and secretbox keys are written in the EncryptionConfiguration itself, on the "
          + "same disks and in the same backups as the etcd data they protect; whoever has one has the "
          + "other. A KMS (v2) provider keeps the key encryption key outside the cluster.")
      .fix("Use a `kms` provider with `apiVersion: v2` first for secrets.")
      .refs("https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/")
      .control("cis", "1.2.28")
      .build();

  private static final List<String> LOCAL = List.of("aescbc", "aesgcm", "secretbox");

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<EncryptionConfigFact> type() {
    return EncryptionConfigFact.class;
  }

  /** Only a configuration that encrypts at all; one that does not is cluster.encryption-identity-first's. */
  @Override
  public boolean appliesTo(EncryptionConfigFact fact) {
    return !fact.providers().isEmpty() && !fact.providers().get(0).type().equals("identity");
  }

  @Override
  public void check(EncryptionConfigFact fact, RuleContext ctx) {
    EncryptionConfigFact.Provider first = fact.providers().get(0);
    if (LOCAL.contains(first.type())) {
      ctx.fail(first.at(), "secrets are encrypted with " + first.type() + ", whose key is stored in "
          + fact.name());
    }
  }
}

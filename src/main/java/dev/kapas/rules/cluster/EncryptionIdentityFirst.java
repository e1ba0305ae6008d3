package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.EncryptionConfigFact;

/** The encryption config writes Secrets in plain text. */
public final class EncryptionIdentityFirst implements FactRule<EncryptionConfigFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.encryption-identity-first")
      .title("Encryption configuration writes Secrets unencrypted")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("The API server encrypts writes with the first provider listed. With `identity` first (or no "
          + "entry for secrets at all) Secrets go to etcd in plain text although an "
          + "EncryptionConfiguration is in place — a configuration that looks done and is not.")
      .fix("List an encrypting provider (kms v2, else aescbc/aesgcm/secretbox) first for `secrets`; keep "
          + "`identity` last only while existing Secrets are rewritten.")
      .refs("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration")
      .control("cis", "1.2.28")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<EncryptionConfigFact> type() {
    return EncryptionConfigFact.class;
  }

  @Override
  public void check(EncryptionConfigFact fact, RuleContext ctx) {
    if (!fact.coversSecrets()) {
      ctx.fail(fact.at(), "encryption configuration " + fact.name() + " has no resources entry for secrets");
    } else if (fact.providers().isEmpty()) {
      ctx.fail(fact.at(), "encryption configuration " + fact.name() + " lists no provider for secrets");
    } else if (fact.providers().get(0).type().equals("identity")) {
      ctx.fail(fact.providers().get(0).at(), "encryption configuration lists `identity` first for secrets: "
          + "new Secrets are written unencrypted");
    }
  }
}

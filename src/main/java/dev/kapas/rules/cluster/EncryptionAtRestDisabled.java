package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;

/** Secrets stored in etcd as plain text. */
public final class EncryptionAtRestDisabled extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.encryption-at-rest-disabled")
      .title("Secrets are not encrypted at rest")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without --encryption-provider-config the API server writes Secrets to etcd in plain text: "
          + "an etcd backup, snapshot or disk is every credential of the cluster.")
      .fix("Write an EncryptionConfiguration with a kms (v2) provider first for secrets, point "
          + "--encryption-provider-config at it, then rewrite existing Secrets "
          + "(`kubectl get secrets -A -o json | kubectl replace -f -`).")
      .refs("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/")
      .control("cis", "1.2.27")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    requireSet(ctx, fact, "encryption-provider-config");
  }
}

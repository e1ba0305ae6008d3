package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;

/** Pod Security Admission only enforces what a namespace's labels ask for. */
public final class NamespaceNoPssLabel implements ObjectRule {
  static final String ENFORCE = "pod-security.kubernetes.io/enforce";

  private static final RuleSpec SPEC = RuleSpec.rule("cluster.namespace-no-pss-label")
      .title("Namespace without an enforced Pod Security level")
      .severity(Severity.MEDIUM)
      .why("The built-in Pod Security Admission controller rejects pods that break the Pod "
          + "Security Standards only in namespaces labelled `" + ENFORCE + "` with `baseline` "
          + "or `restricted` (unless the cluster sets a default). Without the label, or with "
          + "`privileged`, nothing stops a privileged, host-network or host-path pod. Namespace "
          + "objects in the scan are checked; `audit` and `warn` labels only report.")
      .fix("Label the Namespace `" + ENFORCE + ": restricted` (or `baseline` where the workloads "
          + "need it), optionally with `pod-security.kubernetes.io/enforce-version` pinned.")
      .refs("https://kubernetes.io/docs/concepts/security/pod-security-admission/")
      .control("cis", "5.2.1")
      .control("nsa", "Pod security: pod security enforcement")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return object.kind().equals("Namespace") && object.apiVersion().equals("v1");
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Field metadata = Field.root(object.root()).get("metadata");
    String namespace = NamespaceCheck.describe(ctx.inventory().namespaces(), object.name());
    Field label = metadata.path("labels", ENFORCE);
    String level = label.node().textOr("");
    if (level.isEmpty()) {
      ctx.fail(metadata.get("labels").isPresent() ? metadata.get("labels") : metadata.get("name"),
          namespace + " has no `" + ENFORCE + "` label, so Pod Security Admission enforces nothing there");
    } else if (level.equals("privileged")) {
      ctx.fail(label, namespace + " enforces the `privileged` Pod Security level, which allows anything");
    }
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;

/** The default namespace is where everything without a home ends up, under no policy. */
public final class DefaultNamespace implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.default-namespace")
      .title("Workload in the default namespace")
      .severity(Severity.LOW)
      .why("Workloads in `default` share it with everything applied without a namespace; it is "
          + "rarely given Pod Security labels, NetworkPolicies, quotas or tight RBAC, and its "
          + "`default` ServiceAccount is the one most often over-granted. A manifest without a "
          + "namespace lands in the current kubectl namespace, usually `default`. Every object "
          + "with a pod spec is checked.")
      .fix("Give each application its own namespace and set `metadata.namespace` in the manifest "
          + "(or through kustomize/Helm).")
      .refs("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/")
      .control("cis", "5.7.4")
      .control("nsa", "Network separation and hardening: namespaces")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    Field namespace = Field.root(pod.object().root()).path("metadata", "namespace");
    String name = namespace.node().textOr("");
    if (name.isEmpty()) {
      ctx.fail(namespace, pod.object().kind() + " `" + pod.object().name()
          + "` sets no namespace, so it lands in the current one, usually `default`");
    } else if (name.equals("default")) {
      ctx.fail(namespace, pod.object().kind() + " `" + pod.object().name() + "` is in the `default` namespace");
    }
  }
}

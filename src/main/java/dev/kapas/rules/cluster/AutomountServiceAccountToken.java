package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import java.util.Optional;

/** A mounted API token is the first thing an intruder in a container looks for. */
public final class AutomountServiceAccountToken implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.automount-sa-token")
      .title("Service account token mounted automatically")
      .severity(Severity.MEDIUM)
      .why("Unless told otherwise Kubernetes mounts an API token of the pod's ServiceAccount into "
          + "every container; code execution in the container then talks to the API server with "
          + "that account's rights. Most workloads never call the API. The pod's "
          + "`automountServiceAccountToken` wins; when the pod leaves it unset, the "
          + "ServiceAccount's decides, and a ServiceAccount the scan did not read counts as unset "
          + "(Kubernetes then mounts the token). A pod whose ServiceAccount a binding in the scan "
          + "grants rights to evidently calls the API and needs its token: it is left out (what the "
          + "rights allow is for the cluster.rbac-* rules).")
      .fix("Set `automountServiceAccountToken: false` on the pod spec, or on its ServiceAccount; "
          + "pods that need the API can mount a short-lived projected token explicitly.")
      .refs("https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
          + "#opt-out-of-api-credential-automounting")
      .control("cis", "5.1.6")
      .control("nsa", "Pod security: protecting pod service account tokens")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    Field own = pod.spec().get("automountServiceAccountToken");
    if (usesItsToken(pod, ctx)) {
      return;
    }
    if (own.node().isTrue()) {
      ctx.fail(own, "pod sets `automountServiceAccountToken: true`");
      return;
    }
    if (own.node().isFalse()) {
      return;
    }
    String name = PodServiceAccount.name(pod);
    Optional<KubeObject> account = PodServiceAccount.find(pod, ctx.inventory());
    if (account.isEmpty()) {
      ctx.fail(own, "pod leaves automountServiceAccountToken unset and its ServiceAccount `" + name
          + "` is not in the scan, so the token is mounted by default");
    } else if (!account.get().root().get("automountServiceAccountToken").isFalse()) {
      ctx.fail(own, "pod leaves automountServiceAccountToken unset and its ServiceAccount `" + name
          + "` does not set it to false, so the token is mounted");
    }
  }

  /** Whether the pod's ServiceAccount holds rights through a binding of the scan: then it needs its token. */
  private static boolean usesItsToken(PodView pod, RuleContext ctx) {
    String namespace = Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT);
    Subject account = new Subject(Subject.SERVICE_ACCOUNT, PodServiceAccount.name(pod), namespace,
        Field.root(pod.object().root()));
    return ctx.inventory().rbac().holdsRights(account);
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.LabelSelector;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Sensitive workloads should not share a kernel with whatever else lands on a node. */
public final class SensitiveWorkloadSharedNodes implements PodRule {
  static final String NAMESPACES = "namespaces";
  static final String SELECTORS = "selectors";

  private static final RuleSpec SPEC = RuleSpec.rule("cluster.sensitive-workload-shared-nodes")
      .title("Sensitive workload not pinned to dedicated nodes")
      .severity(Severity.MEDIUM)
      .why("Containers share their node's kernel: a container escape in any pod on a node reaches "
          + "every other pod there, its Secrets and its tokens. Workloads that handle sensitive "
          + "data belong on dedicated nodes, which takes both halves: a taint on the nodes with a "
          + "matching toleration on the pod (keeps others off), and a `nodeSelector`, required "
          + "node affinity or `nodeName` (keeps the pod on them). Which workloads are sensitive "
          + "is configured; the rule runs only when `namespaces` or `selectors` is set. The "
          + "default tolerations for `node.kubernetes.io/*` taints do not count.")
      .fix("Taint the dedicated nodes (`kubectl taint nodes NODE dedicated=payments:NoSchedule`), "
          + "label them, and give the workload a matching toleration and `nodeSelector` (or "
          + "required node affinity).")
      .refs("https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#example-use-cases",
          "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/")
      .control("nsa", "Network separation and hardening: worker node segmentation")
      .requiredParam(NAMESPACES, "Namespaces whose workloads are sensitive (`*` globs allowed). "
          + "The rule runs when this or `selectors` is set.")
      .requiredSelectorParam(SELECTORS, "Label selectors in kubectl syntax (`tier=payments`, "
          + "`data in (pci,pii)`); a workload whose labels or pod labels match any is sensitive. "
          + "The rule runs when this or `namespaces` is set.")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    String why = sensitive(pod, ctx);
    if (why.isEmpty()) {
      return;
    }
    Field spec = pod.spec();
    boolean placed = spec.node().get("nodeSelector").size() > 0 || !spec.node().get("nodeName").textOr("").isEmpty()
        || spec.node().path("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms").size() > 0;
    boolean tolerates = spec.node().get("tolerations").items().stream()
        .anyMatch(t -> !t.get("key").textOr("").startsWith("node.kubernetes.io/"));
    List<String> missing = new ArrayList<>();
    if (!placed) {
      missing.add("no nodeSelector or required node affinity");
    }
    if (!tolerates) {
      missing.add("no toleration for a dedicated-node taint");
    }
    if (!missing.isEmpty()) {
      ctx.fail(placed ? spec.get("tolerations") : spec.get("nodeSelector"), pod.object().kind() + " `"
          + pod.object().name() + "` is sensitive (" + why + ") but has " + String.join(" and ", missing)
          + ", so it can share nodes with any other workload");
    }
  }

  /** Why the pod is sensitive (which parameter matched), or "" when it is not. */
  private static String sensitive(PodView pod, RuleContext ctx) {
    String ns = Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT);
    for (String glob : ctx.param(NAMESPACES)) {
      if (Pattern.matches(Pattern.quote(glob.trim()).replace("*", "\\E.*\\Q"), ns)) {
        return "namespace `" + ns + "`";
      }
    }
    Map<String, String> labels = new LinkedHashMap<>(pod.object().labels());
    labels.putAll(pod.labels());
    for (String text : ctx.param(SELECTORS)) {
      if (matches(text, labels)) {
        return "labels match `" + text.trim() + "`";
      }
    }
    return "";
  }

  /** The config loader refuses selectors that do not parse; one that still does not marks nothing. */
  private static boolean matches(String selector, Map<String, String> labels) {
    try {
      return LabelSelector.parse(selector).matches(labels);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

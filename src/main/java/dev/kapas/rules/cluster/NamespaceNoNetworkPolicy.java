package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Without any NetworkPolicy every pod of a namespace talks to and from anything. */
public final class NamespaceNoNetworkPolicy implements InventoryRule {
  private static final int MAX_LISTED = 10;
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.namespace-no-network-policy")
      .title("Namespace without NetworkPolicies")
      .severity(Severity.MEDIUM)
      .why("Kubernetes lets every pod reach every other pod, in any namespace, until a "
          + "NetworkPolicy selects it. A namespace without a single policy is a flat network: one "
          + "compromised pod can probe databases, internal APIs and the pods of other teams. Only "
          + "namespaces that hold pod-bearing objects in this scan are judged (objects without a "
          + "namespace count as `default`); the finding points at the Namespace object when the "
          + "scan has it, else at the namespace's first workload, and lists the workloads. This is the "
          + "root cause of the per-pod NetworkPolicy findings, which are therefore left out for such a "
          + "namespace (cluster.pod-not-isolated, cluster.no-default-deny, cluster.egress-unrestricted "
          + "judge namespaces that have policies).")
      .fix("Add NetworkPolicies to the namespace: start with a default-deny policy (`podSelector: {}`, "
          + "`policyTypes: [Ingress, Egress]`) and then allow the flows each workload needs.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/")
      .control("cis", "5.3.2")
      .control("nsa", "Network separation and hardening: network policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    NamespaceCheck.eachNamespaceWithPods(inventory, ctx, ns -> inventory.networkPolicies().inNamespace(ns).isEmpty()
        ? Optional.of("has no NetworkPolicy, so its " + workloads(inventory.namespaces().pods(ns))
            + " accept and send traffic from and to anywhere")
        : Optional.empty());
  }

  /** {@code 2 workloads (Deployment `web`, CronJob `report`)}, naming the first few. */
  private static String workloads(List<PodView> pods) {
    List<String> names = pods.stream().limit(MAX_LISTED)
        .map(p -> p.object().kind() + " `" + p.object().name() + "`").toList();
    return pods.size() + (pods.size() == 1 ? " workload (" : " workloads (") + String.join(", ", names)
        + (pods.size() > MAX_LISTED ? " and " + (pods.size() - MAX_LISTED) + " more" : "") + ")";
  }
}

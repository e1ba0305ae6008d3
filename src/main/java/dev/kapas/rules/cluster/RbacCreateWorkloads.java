package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Severity;
import java.util.List;

/** Creating a pod means running as any ServiceAccount of the namespace, with any of its Secrets. */
public final class RbacCreateWorkloads implements RbacPermissions.RoleRule {
  private static final List<String> WRITE = List.of("create", "update", "patch");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-create-workloads")
      .title("RBAC allows creating or changing workloads")
      .severity(Severity.MEDIUM)
      .why("`create`, `update` or `patch` on pods, or on anything that makes pods (Deployments, "
          + "ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), runs code "
          + "of the subject's choosing (a new image or command is a patch away) as any "
          + "ServiceAccount of the namespace and mounts any of its Secrets; unless Pod Security "
          + "admission stops it, also privileged on the node. The finding names the bindings and "
          + "subjects that hold the role, or says it is not bound in this scan; the upstream default "
          + "roles are left out.")
      .fix("Grant workload creation to deployment pipelines only, in the namespaces they deploy to, "
          + "and enforce Pod Security Standards there.")
      .refs("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation")
      .control("cis", "5.1.4")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> RbacPermissions.allows(rule, WRITE,
        "/pods", "/replicationcontrollers", "apps/deployments", "apps/replicasets", "apps/statefulsets",
        "apps/daemonsets", "batch/jobs", "batch/cronjobs", "extensions/deployments",
        "extensions/replicasets", "extensions/daemonsets"));
  }
}

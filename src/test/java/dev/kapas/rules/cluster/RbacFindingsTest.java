package dev.kapas.rules.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RBAC findings name the whole chain: the rule in the role, the bindings, the subjects. */
class RbacFindingsTest {

  private static List<Finding> run(String ruleId, String file) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(file), Progress.NONE);
    Inventory inventory = new Inventory(r.objects(), r.errors(), r.notes());
    return new Engine(List.of(RuleCatalog.builtIn().find(ruleId).orElseThrow()), Engine.Settings.defaults())
        .run(inventory).findings();
  }

  @Test
  void aFindingNamesTheRuleTheBindingsAndTheSubjects() {
    List<Finding> findings = run("cluster.rbac-secrets-read",
        "src/test/resources/rules/cluster.rbac-secrets-read/fail-secrets.yaml");
    assertThat(findings).extracting(Finding::message).containsExactly(
        "Role `shop/secret-reader` allows `get`, `list` on `secrets`; held via RoleBinding "
            + "`shop/web-reads-secrets` by ServiceAccount `shop/web`",
        "ClusterRole `watch-everything` allows `watch` on `secrets` (through resources `*`); held via "
            + "RoleBinding `billing/auditors` (namespace billing only) by User `alice`",
        "ClusterRole `monitoring-secrets` allows `list` on `secrets`; aggregated into ClusterRole "
            + "`monitoring`; held via ClusterRoleBinding `monitoring` by ServiceAccount `monitoring/prometheus`");
    Finding first = findings.get(0);
    assertThat(first.location().path()).isEqualTo("rules[0]");
    assertThat(first.object().display()).isEqualTo("Role/shop/secret-reader");
  }

  @Test
  void anUnboundRoleIsStillReportedAndSaysSo() {
    List<Finding> findings = run("cluster.rbac-wildcard",
        "src/test/resources/rules/cluster.rbac-wildcard/fail-wildcards.yaml");
    assertThat(findings).extracting(Finding::message)
        .anyMatch(m -> m.startsWith("Role `shop/deployer` uses `*` in verbs") && m.endsWith("; not bound in this scan"));
  }

  @Test
  void bindingFindingsPointAtTheSubject() {
    List<Finding> findings = run("cluster.rbac-cluster-admin-binding",
        "src/test/resources/rules/cluster.rbac-cluster-admin-binding/fail-admins.yaml");
    assertThat(findings).extracting(Finding::message).containsExactly(
        "ClusterRoleBinding `tiller` grants ClusterRole `cluster-admin` cluster-wide to "
            + "ServiceAccount `kube-system/tiller`, every right there is",
        "ClusterRoleBinding `tiller` grants ClusterRole `cluster-admin` cluster-wide to "
            + "User `alice@example.com`, every right there is",
        "RoleBinding `shop/shop-admins` grants ClusterRole `cluster-admin` in namespace shop "
            + "to Group `shop-team`, every right there is in that namespace");
    assertThat(findings).extracting(f -> f.location().path())
        .containsExactly("subjects[0]", "subjects[2]", "subjects[0]");
  }

  private static List<Finding> runAll(String yaml) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        YamlTreeReader.Limits.DEFAULT).read(List.of(ManifestSource.STDIN), Progress.NONE);
    Inventory inventory = new Inventory(r.objects(), r.errors(), r.notes());
    return new Engine(RuleCatalog.builtIn().all().stream().filter(rule -> rule.spec().id().startsWith("cluster.rbac-"))
        .toList(), Engine.Settings.defaults()).run(inventory).findings();
  }

  @Test
  void aRoleAmountingToClusterAdminIsOneFinding() {
    List<Finding> findings = runAll("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: superuser}
        rules:
        - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        - {nonResourceURLs: ["*"], verbs: ["*"]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: owner, namespace: shop}
        rules:
        - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        """);
    assertThat(findings).extracting(f -> f.ruleId() + " " + f.severity() + " " + f.location().path() + " " + f.message())
        .containsExactly(
            // as severe as the escalate/bind/impersonate findings it stands for
            "cluster.rbac-wildcard CRITICAL rules[0] ClusterRole `superuser` amounts to cluster-admin: every verb on every "
                + "resource of every API group, and with rules[1] every non-resource URL; not bound in this scan",
            "cluster.rbac-wildcard CRITICAL rules[0] Role `shop/owner` allows every verb on every resource of every API "
                + "group; not bound in this scan");
  }

  @Test
  void severityFollowsWhatTheRightsCanDo() {
    List<Finding> findings = runAll("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: binding-editor}
        rules:
        - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [patch, update]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: binder}
        rules:
        - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}
        - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: webhook-owner}
        rules:
        - {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations],
           resourceNames: [my-webhook], verbs: [get, update, patch]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: signer-approver}
        rules:
        - {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}
        """);
    assertThat(findings).extracting(f -> f.ruleId() + " " + f.severity() + " " + f.object().name() + " "
        + f.location().path() + " " + f.message().substring(f.message().indexOf(' ', f.message().indexOf('`', 15)) + 1))
        .containsExactlyInAnyOrder(
            "cluster.rbac-escalate-bind MEDIUM binding-editor rules[0] allows `update`, `patch` on `rolebindings`; "
                + "without `bind` the API server lets a subject bind only roles whose rights it already holds, so this "
                + "alone escalates nothing; not bound in this scan",
            "cluster.rbac-escalate-bind CRITICAL binder rules[0] allows `create` on `rolebindings`, and with `bind` in "
                + "rules[1] it binds any role; not bound in this scan",
            "cluster.rbac-escalate-bind CRITICAL binder rules[1] allows `bind` on `clusterroles`; not bound in this scan",
            "cluster.rbac-webhook-write MEDIUM webhook-owner rules[0] allows `update`, `patch` on "
                + "`validatingwebhookconfigurations`, only for resourceNames `my-webhook`; not bound in this scan",
            "cluster.rbac-token-create MEDIUM signer-approver rules[0] allows `approve` on `signers`; approving also "
                + "takes `update` on `certificatesigningrequests/approval`, which this role does not grant; not bound "
                + "in this scan");
  }
}

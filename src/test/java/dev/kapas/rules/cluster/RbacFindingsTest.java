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
}

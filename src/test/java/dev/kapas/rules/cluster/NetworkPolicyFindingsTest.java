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

/** The four NetworkPolicy rules together: the root cause once per namespace, per-pod findings where policies leave pods open. */
class NetworkPolicyFindingsTest {
  private static final List<String> RULES = List.of("cluster.namespace-no-network-policy", "cluster.no-default-deny",
      "cluster.pod-not-isolated", "cluster.egress-unrestricted");

  private static List<Finding> run(String file) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(file), Progress.NONE);
    Inventory inventory = new Inventory(r.objects(), r.errors(), r.notes());
    return new Engine(RULES.stream().map(id -> RuleCatalog.builtIn().find(id).orElseThrow()).toList(),
        Engine.Settings.defaults()).run(inventory).findings();
  }

  @Test
  void aNamespaceWithoutPoliciesIsOneFindingListingItsWorkloads() {
    List<Finding> findings = run("src/test/resources/rules/cluster.namespace-no-network-policy/fail-no-policy.yaml");
    assertThat(findings).extracting(f -> f.ruleId() + " " + f.message()).containsExactlyInAnyOrder(
        "cluster.namespace-no-network-policy namespace `shop` (1 object in this scan) has no NetworkPolicy, so its "
            + "1 workload (Deployment `web`) accept and send traffic from and to anywhere",
        "cluster.namespace-no-network-policy namespace `billing` (1 object in this scan) has no NetworkPolicy, so its "
            + "1 workload (CronJob `report`) accept and send traffic from and to anywhere",
        "cluster.namespace-no-network-policy namespace `default` (2 objects in this scan) has no NetworkPolicy, so "
            + "its 2 workloads (Pod `debug`, Pod `debug-2`) accept and send traffic from and to anywhere");
  }

  @Test
  void aPodSelectedOnlyForEgressIsOpenToIngress() {
    List<Finding> findings = run("src/test/resources/rules/cluster.pod-not-isolated/fail-not-selected.yaml");
    assertThat(findings).extracting(f -> f.ruleId() + " " + f.message()).contains(
        "cluster.pod-not-isolated CronJob `report-weekly` (pods labelled role=batch) is selected only by egress "
            + "NetworkPolicies in namespace `shop`, so it is open to ingress from anywhere");
  }
}

package dev.kapas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Pod Security Standards rule IDs are public API (RULES.md, "Pod Security Standards
 * (exact)"): exactly these, at these levels, from these versions.
 */
class PssCatalogTest {

  @Test
  void theNineteenPssChecksWithTheirLevelsAndFirstVersions() {
    Map<String, String> expected = new TreeMap<>(Map.ofEntries(
        Map.entry("cluster.host-process", "baseline v1.0"),
        Map.entry("container.host-namespaces", "baseline v1.0"),
        Map.entry("cluster.privileged-container", "baseline v1.0"),
        Map.entry("cluster.capabilities-added", "baseline v1.0"),
        Map.entry("container.hostpath-volume", "baseline v1.0"),
        Map.entry("cluster.host-ports", "baseline v1.0"),
        Map.entry("container.apparmor-unconfined", "baseline v1.0"),
        Map.entry("container.selinux-custom", "baseline v1.0"),
        Map.entry("cluster.proc-mount", "baseline v1.0"),
        Map.entry("container.seccomp-unconfined", "baseline v1.0"),
        Map.entry("cluster.unsafe-sysctls", "baseline v1.0"),
        Map.entry("cluster.host-probes", "baseline v1.34"),
        Map.entry("cluster.restricted-volume-types", "restricted v1.0"),
        Map.entry("cluster.privilege-escalation", "restricted v1.8"),
        Map.entry("cluster.run-as-non-root", "restricted v1.0"),
        Map.entry("cluster.run-as-uid-0", "restricted v1.23"),
        Map.entry("container.seccomp-missing", "restricted v1.19"),
        Map.entry("cluster.capabilities-not-dropped", "restricted v1.22"),
        Map.entry("cluster.proc-mount-restricted", "restricted v1.35")));
    Map<String, String> actual = RuleCatalog.builtIn().specs().stream()
        .filter(RuleSpec::isPss)
        .collect(Collectors.toMap(RuleSpec::id, s -> s.pssLevel().label() + " v1." + s.pssSince(),
            (a, b) -> a, TreeMap::new));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void pssRulesLiveInThePackageOfTheirIdPrefix() {
    RuleCatalog.builtIn().all().stream().filter(r -> r.spec().isPss()).forEach(r ->
        assertThat(r.getClass().getPackageName())
            .as(r.spec().id())
            .isEqualTo("dev.kapas.rules." + r.spec().id().substring(0, r.spec().id().indexOf('.'))));
  }
}

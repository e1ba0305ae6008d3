package dev.kapas.rules.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One hostPath volume is one finding of weight, whichever rules see it. */
class HostPathFindingsTest {
  private static final String FIXTURE = "src/test/resources/hostpath/one-mount-many-rules.yaml";

  private static List<String> run(List<String> ruleIds) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(FIXTURE), Progress.NONE);
    assertThat(r.errors()).isEmpty();
    List<Rule> rules = ruleIds.stream().map(id -> RuleCatalog.builtIn().find(id).orElseThrow()).toList();
    Engine.Settings settings = new Engine.Settings(Engine.Settings.defaults().pssVersion(), PssLevel.RESTRICTED, Map.of());
    return new Engine(rules, settings).run(new Inventory(r.objects(), r.errors(), r.notes())).findings().stream()
        .map(HostPathFindingsTest::describe).sorted().toList();
  }

  private static String describe(Finding f) {
    return f.location().line() + " " + f.severity().label() + " " + f.ruleId() + ": " + f.message();
  }

  @Test
  void theMostSpecificRuleCarriesTheWeightAndTheOthersAreNotesNamingIt() {
    List<String> all = run(HostPathFindings.RANK);
    String socketNote = " (a note: container.runtime-socket-mount reports this volume)";
    assertThat(all).containsExactly(
        // the socket: one finding per container that mounts it, at full weight, naming the notes
        "22 info cluster.restricted-volume-types: volume `sock` is of type `hostPath`" + socketNote,
        "22 info container.hostpath-volume: volume `sock` mounts host path `/var/run/docker.sock`" + socketNote,
        "23 critical container.runtime-socket-mount: container `build` mounts host path `/var/run/docker.sock` "
            + "(volume `sock`) at `/var/run/docker.sock`, which exposes the container runtime socket (also noted by "
            + "container.sensitive-host-path, container.hostpath-volume, cluster.restricted-volume-types)",
        "23 critical container.runtime-socket-mount: container `push` mounts host path `/var/run/docker.sock` "
            + "(volume `sock`) at `/var/run/docker.sock`, which exposes the container runtime socket (also noted by "
            + "container.sensitive-host-path, container.hostpath-volume, cluster.restricted-volume-types)",
        "23 info container.sensitive-host-path: container `build` mounts host path `/var/run/docker.sock` "
            + "(volume `sock`) at `/var/run/docker.sock`, inside `/run`" + socketNote,
        "23 info container.sensitive-host-path: container `push` mounts host path `/var/run/docker.sock` "
            + "(volume `sock`) at `/var/run/docker.sock`, inside `/run`" + socketNote,
        // the kubelet's pods: sensitive-host-path leads
        "25 info cluster.restricted-volume-types: volume `kubelet` is of type `hostPath` (a note: "
            + "container.sensitive-host-path reports this volume)",
        "25 info container.hostpath-volume: volume `kubelet` mounts host path `/var/lib/kubelet/pods` (a note: "
            + "container.sensitive-host-path reports this volume)",
        "26 high container.sensitive-host-path: container `build` mounts host path `/var/lib/kubelet/pods` "
            + "(volume `kubelet`) at `/kubelet`, inside `/var/lib/kubelet` (also noted by container.hostpath-volume, "
            + "cluster.restricted-volume-types)",
        // a harmless path and an unmounted volume: hostpath-volume leads
        "28 high container.hostpath-volume: volume `cache` mounts host path `/srv/build-cache` (also noted by "
            + "cluster.restricted-volume-types)",
        "28 info cluster.restricted-volume-types: volume `cache` is of type `hostPath` (a note: "
            + "container.hostpath-volume reports this volume)",
        "30 high container.hostpath-volume: volume `unused` mounts host path `/opt/tools` (also noted by "
            + "cluster.restricted-volume-types)",
        "30 info cluster.restricted-volume-types: volume `unused` is of type `hostPath` (a note: "
            + "container.hostpath-volume reports this volume)");
  }

  @Test
  void aRuleAloneKeepsItsSeverity() {
    // as under --framework pss-baseline, where the other rules do not run
    assertThat(run(List.of("container.hostpath-volume"))).allMatch(f -> f.contains(" high ") && !f.contains("note"))
        .hasSize(4);
    assertThat(run(List.of("container.hostpath-volume", "cluster.restricted-volume-types")))
        .filteredOn(f -> f.contains(" high container.hostpath-volume")).hasSize(4);
  }
}

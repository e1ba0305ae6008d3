package dev.kapas.rules.container;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mutableTags} widens what container.image-pull-policy counts as a mutable tag. */
class ImagePullPolicyParamTest {
  private static final String PASS = "src/test/resources/rules/container.image-pull-policy/pass-always-or-pinned.yaml";

  private static List<String> run(List<String> mutableTags) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(PASS), Progress.NONE);
    Engine.Settings defaults = Engine.Settings.defaults();
    Engine.Settings settings = new Engine.Settings(defaults.pssVersion(), defaults.pssLevel(),
        Map.of("container.image-pull-policy", Map.of(ImagePullPolicy.PARAM, mutableTags)));
    return new Engine(List.of(RuleCatalog.builtIn().find("container.image-pull-policy").orElseThrow()), settings)
        .run(new Inventory(r.objects(), r.errors(), r.notes())).findings().stream().map(Finding::message).toList();
  }

  @Test
  void versionedTagsCountOnlyWhenConfigured() {
    assertThat(run(List.of())).isEmpty();
    assertThat(run(List.of("2.1"))).containsExactly(
        "container `report` uses the mutable tag `2.1` of `ghcr.io/acme/report` with imagePullPolicy IfNotPresent");
    assertThat(run(List.of("*"))).containsExactly(
        "init container `setup` uses the mutable tag `1.36` of `docker.io/library/busybox` with imagePullPolicy "
            + "IfNotPresent (the default for that tag)",
        "container `report` uses the mutable tag `2.1` of `ghcr.io/acme/report` with imagePullPolicy IfNotPresent");
  }
}

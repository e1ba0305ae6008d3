package dev.kapas.inventory;

import dev.kapas.model.KubeObject;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads YAML text the way a scan of stdin does, so index tests see real parsed objects. */
final class Manifests {
  private Manifests() {}

  static List<KubeObject> read(String yaml) {
    ManifestSource.Result r = new ManifestSource(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(ManifestSource.STDIN), Progress.NONE);
    if (!r.errors().isEmpty()) {
      throw new IllegalArgumentException(r.errors().toString());
    }
    return r.objects();
  }

  static Inventory inventory(String yaml) {
    return new Inventory(read(yaml), List.of(), List.of());
  }
}

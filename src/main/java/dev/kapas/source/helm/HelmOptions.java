package dev.kapas.source.helm;

import java.nio.file.Path;
import java.util.List;

/**
 * How charts are rendered, as {@code helm template} takes it: values files (later ones win),
 * {@code --set key=value} pairs (win over files), the release name and namespace.
 */
public record HelmOptions(List<Path> valuesFiles, List<String> set, String releaseName, String namespace) {
  public static final String DEFAULT_RELEASE = "kapas";

  public HelmOptions {
    valuesFiles = List.copyOf(valuesFiles);
    set = List.copyOf(set);
  }

  public static HelmOptions defaults() {
    return new HelmOptions(List.of(), List.of(), DEFAULT_RELEASE, "");
  }
}

package dev.kapas.source.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How charts are rendered, as {@code helm template} takes it: values files (later ones win),
 * {@code --set key=value} pairs (win over files), the release name and namespace, the
 * Kubernetes version {@code .Capabilities.KubeVersion} reports ({@code v1.37.0}), the API versions
 * {@code .Capabilities.APIVersions} holds beyond those that version serves, whether test
 * hooks are left out, and how long one chart's rendering may take.
 */
public record HelmOptions(List<Path> valuesFiles, List<String> set, String releaseName, String namespace,
    String kubeVersion, List<String> apiVersions, boolean skipTests, Duration renderTimeout) {
  public static final String DEFAULT_RELEASE = "kapas";
  /** {@code helm template}'s namespace when none is given. */
  public static final String DEFAULT_NAMESPACE = "default";
  public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofSeconds(60);
  /** Rendered output beyond this is refused: no real chart comes near it. */
  public static final long MAX_OUTPUT_CHARS = 64L << 20;

  public HelmOptions {
    valuesFiles = List.copyOf(valuesFiles);
    set = List.copyOf(set);
    apiVersions = List.copyOf(apiVersions);
    namespace = namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
  }

  public static HelmOptions defaults() {
    return new HelmOptions(List.of(), List.of(), DEFAULT_RELEASE, DEFAULT_NAMESPACE, KubeVersions.newest(), List.of(), false,
        DEFAULT_RENDER_TIMEOUT);
  }
}

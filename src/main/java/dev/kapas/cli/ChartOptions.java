package dev.kapas.cli;

import dev.kapas.source.helm.HelmOptions;
import dev.kapas.source.helm.KubeVersions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How the Helm charts among a command's inputs are rendered, as {@code helm template} takes it. */
final class ChartOptions {
  @Option(names = "--values", paramLabel = "FILE",
      description = "Helm charts: a values file, as helm template -f takes it. Repeatable; later files win.")
  List<Path> valuesFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Helm charts: set a value, as helm template --set does. Repeatable; wins over --values.")
  List<String> setValues = new ArrayList<>();

  @Option(names = "--release-name", paramLabel = "NAME",
      description = "Helm charts: the release name to render with (default: " + HelmOptions.DEFAULT_RELEASE + ").")
  String releaseName = HelmOptions.DEFAULT_RELEASE;

  @Option(names = "--kube-version", paramLabel = "VERSION",
      description = "Helm charts: the Kubernetes version .Capabilities.KubeVersion reports, e.g. 1.30 "
          + "(default: the newest kapas knows, ${DEFAULT-VALUE}).")
  String kubeVersion = KubeVersions.newest();

  @Option(names = {"-a", "--api-versions"}, paramLabel = "GROUP/VERSION[/KIND]", split = ",",
      description = "Helm charts: add an entry to .Capabilities.APIVersions, as helm template -a does "
          + "(beyond the built-in APIs the --kube-version serves). Repeatable and comma-separated.")
  List<String> apiVersions = new ArrayList<>();

  @Option(names = "--skip-tests",
      description = "Helm charts: leave out test hooks (helm.sh/hook: test), as helm template --skip-tests does.")
  boolean skipTests;

  @Option(names = "--render-timeout", paramLabel = "DURATION",
      description = "Helm charts: stop rendering a chart after this long (90s, 2m, 1m30s, or plain seconds); "
          + "the chart is an input error (default: ${DEFAULT-VALUE}).")
  String renderTimeout = HelmOptions.DEFAULT_RENDER_TIMEOUT.toSeconds() + "s";

  /**
   * The options, checked before anything is read, with {@code namespace} as .Release.Namespace;
   * empty, after a message naming {@code command}, on a usage error.
   */
  Optional<HelmOptions> resolve(Path workingDir, String namespace, PrintWriter err, String command) {
    List<Path> files = new ArrayList<>();
    for (Path f : valuesFiles) {
      Path resolved = workingDir.resolve(f);
      if (!Files.isRegularFile(resolved)) {
        err.println(command + ": --values " + f + ": no such file");
        return Optional.empty();
      }
      files.add(resolved);
    }
    for (String pair : setValues) {
      if (pair.indexOf('=') <= 0) {
        err.println(command + ": --set `" + pair + "`: expected KEY=VALUE");
        return Optional.empty();
      }
    }
    Optional<String> version = KubeVersions.parse(kubeVersion);
    if (version.isEmpty()) {
      err.println(command + ": --kube-version `" + kubeVersion + "`: expected a version such as 1.30 or v1.30.2");
      return Optional.empty();
    }
    Optional<Duration> timeout = Durations.parse(renderTimeout);
    if (timeout.isEmpty() || timeout.get().toMillis() < 1000) {
      err.println(command + ": --render-timeout `" + renderTimeout + "`: expected a duration of 1 s or more, "
          + "such as 90s, 2m, 1m30s or 60");
      return Optional.empty();
    }
    for (String entry : apiVersions) {
      if (!entry.matches("[A-Za-z0-9.-]+(/[A-Za-z0-9.-]+){0,2}")) {
        err.println(command + ": --api-versions `" + entry + "`: expected GROUP/VERSION or GROUP/VERSION/KIND, "
            + "such as monitoring.coreos.com/v1 or monitoring.coreos.com/v1/ServiceMonitor");
        return Optional.empty();
      }
    }
    if (releaseName.isBlank()) {
      err.println(command + ": --release-name is empty");
      return Optional.empty();
    }
    return Optional.of(new HelmOptions(files, setValues, releaseName, namespace, version.get(), apiVersions,
        skipTests, timeout.get()));
  }
}

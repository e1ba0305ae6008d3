package dev.kapas.source.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;

/**
 * The only class that touches helm-java. The JVM loads it (and Helm's 100 MB native library)
 * the first time a chart is rendered, so scans without charts pay nothing for it.
 */
final class HelmRenderer {

  /** Helm refused the chart; the message is Helm's own. */
  static final class RenderException extends Exception {
    RenderException(String message) {
      super(message);
    }
  }

  private HelmRenderer() {}

  /** {@code helm template} of a chart directory: the rendered manifests with their Source comments. */
  static String template(Path chartDir, HelmOptions options) throws RenderException {
    TemplateCommand command = new Helm(chartDir).template().withName(options.releaseName());
    if (!options.namespace().isEmpty()) {
      command = command.withNamespace(options.namespace());
    }
    for (Path file : options.valuesFiles()) {
      command = command.withValuesFile(file);
    }
    for (String pair : options.set()) {
      int eq = pair.indexOf('=');
      command = command.set(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return call(command::call);
  }

  /** {@code helm dependency build} in {@code chartDir}: fills charts/ from Chart.yaml (file:// needs no network). */
  static void buildDependencies(Path chartDir) throws RenderException {
    call(() -> new Helm(chartDir).dependency().build().skipRefresh().call());
  }

  private interface HelmCall {
    String call() throws Exception;
  }

  private static String call(HelmCall call) throws RenderException {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw new RenderException(clean(e.getMessage()));
    } catch (Exception e) {
      throw new RenderException(clean(e.getMessage()));
    } catch (LinkageError e) {
      throw new RenderException("Helm is not available on this platform: " + e.getMessage());
    }
  }

  /** Drops Helm's CLI advice ("Use --debug flag ..."), which means nothing to a kapas user. */
  private static String clean(String message) {
    if (message == null || message.isBlank()) {
      return "Helm failed without a message";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : message.strip().split("\n")) {
      if (line.isBlank() || line.contains("--debug")) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : "; ").append(line.strip());
    }
    return sb.toString();
  }
}

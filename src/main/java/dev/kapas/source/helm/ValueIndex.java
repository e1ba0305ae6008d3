package dev.kapas.source.helm;

import dev.kapas.model.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where each value of a render was set, highest precedence first: {@code --set}, then the
 * {@code --values} files (last first), then the chart's values.yaml, then a subchart's own.
 */
final class ValueIndex {
  private final List<String> set;
  private final List<Source> files = new ArrayList<>();

  private record Source(String display, Node root) {}

  ValueIndex(ChartSource.ChartDir top, HelmOptions options) {
    this.set = options.set();
    List<Path> valuesFiles = options.valuesFiles();
    for (int i = valuesFiles.size() - 1; i >= 0; i--) {
      files.add(new Source(display(valuesFiles.get(i)), ChartFiles.yaml(valuesFiles.get(i))));
    }
    files.add(new Source(top.file("values.yaml"), ChartFiles.yaml(top.dir().resolve("values.yaml"))));
  }

  /** A values file as the user would name it: relative to the working directory when under it. */
  private static String display(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    return file.isAbsolute() && file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
  }

  /** Values as seen from a (sub)chart whose keys sit under {@code prefix} ({@code cache.}) in the parent's. */
  Scope scope(ChartSource.ChartDir chart, String prefix) {
    Source own = prefix.isEmpty() ? null
        : new Source(chart.file("values.yaml"), ChartFiles.yaml(chart.dir().resolve("values.yaml")));
    return (key, rendered) -> {
      String full = key.startsWith("global.") ? key : prefix + key;
      String name = "value `" + full + "`";
      for (int i = set.size() - 1; i >= 0; i--) {
        String pair = set.get(i);
        String setKey = pair.substring(0, pair.indexOf('='));
        if (full.equals(setKey) || full.startsWith(setKey + ".") || full.startsWith(setKey + "[")) {
          return Optional.of(name + " (--set " + pair + ")");
        }
      }
      for (Source s : files) {
        Optional<ChartFiles.Found> f = ChartFiles.at(s.root(), full, rendered);
        if (f.isPresent()) {
          return Optional.of("value `" + f.get().key() + "` (" + s.display() + ":" + f.get().node().line() + ")");
        }
      }
      if (own != null) {
        Optional<ChartFiles.Found> f = ChartFiles.at(own.root(), key, rendered);
        if (f.isPresent()) {
          String concrete = key.startsWith("global.") ? f.get().key() : prefix + f.get().key();
          return Optional.of("value `" + concrete + "` (default in " + own.display() + ":" + f.get().node().line() + ")");
        }
      }
      return Optional.of(name);
    };
  }

  /** Describes where a value key (relative to one chart) was set; {@code rendered}: the text written. */
  interface Scope {
    Optional<String> describe(String key, String rendered);
  }
}

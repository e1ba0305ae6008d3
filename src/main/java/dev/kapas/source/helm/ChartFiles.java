package dev.kapas.source.helm;

import dev.kapas.model.MapNode;
import dev.kapas.model.Missing;
import dev.kapas.model.Node;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What kapas reads of a chart itself: Chart.yaml's name and dependencies, values files, subcharts. */
final class ChartFiles {

  private ChartFiles() {}

  /** A dependency as Chart.yaml lists it; {@code alias} is empty when none is given. */
  record Dependency(String name, String alias, String repository) {
    String key() {
      return alias.isEmpty() ? name : alias;
    }
  }

  /** The first document of a YAML file, with positions; {@link Missing} when unreadable. */
  static Node yaml(Path file) {
    if (!Files.isRegularFile(file)) {
      return Missing.INSTANCE;
    }
    Node[] root = {Missing.INSTANCE};
    try (InputStream in = Files.newInputStream(file)) {
      // A reader per file: its string caches are mutable state, not to be shared statically.
      new YamlTreeReader(YamlTreeReader.Limits.DEFAULT).read(in, StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
        @Override
        public void document(int index, Node node) {
          if (index == 1) {
            root[0] = node;
          }
        }

        @Override
        public void error(int line, int column, String message) {}
      });
    } catch (IOException e) {
      return Missing.INSTANCE;
    }
    return root[0];
  }

  static String name(Path chartDir) {
    return yaml(chartDir.resolve("Chart.yaml")).get("name").textOr(String.valueOf(chartDir.getFileName()));
  }

  static List<Dependency> dependencies(Path chartDir) {
    List<Dependency> out = new ArrayList<>();
    for (Node d : yaml(chartDir.resolve("Chart.yaml")).get("dependencies").items()) {
      out.add(new Dependency(d.get("name").textOr(""), d.get("alias").textOr(""), d.get("repository").textOr("")));
    }
    return out;
  }

  /** True when charts/ already holds the dependency, unpacked or packaged. */
  static boolean present(Path chartDir, Dependency d) {
    Path charts = chartDir.resolve("charts");
    if (Files.isDirectory(charts.resolve(d.name()))) {
      return true;
    }
    try (Stream<Path> files = Files.list(charts)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(d.name() + "-")
          && f.getFileName().toString().endsWith(".tgz"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The subchart {@code name} of {@code parent}, as the user's tree has it: charts/NAME/, the
   * directory a {@code file://} dependency points at, or a packaged charts/NAME-x.y.z.tgz
   * (unpacked into {@code scratch}).
   */
  static ChartSource.ChartDir subchart(ChartSource.ChartDir parent, String name, List<Path> scratch) {
    Path charts = parent.dir().resolve("charts");
    if (Files.isDirectory(charts.resolve(name))) {
      return new ChartSource.ChartDir(charts.resolve(name), parent.file("charts/" + name), name);
    }
    for (Dependency d : dependencies(parent.dir())) {
      if (d.key().equals(name) && !d.name().equals(name) && Files.isDirectory(charts.resolve(d.name()))) {
        // an alias: Helm names the subchart by its alias, charts/ holds it by its name
        return new ChartSource.ChartDir(charts.resolve(d.name()), parent.file("charts/" + d.name()), name);
      }
      if (d.key().equals(name) && d.repository().startsWith("file://")) {
        String relative = d.repository().substring("file://".length());
        Path dir = parent.dir().resolve(relative).normalize();
        if (Files.isDirectory(dir)) {
          String display = parent.display().contains("!/") ? dir.toString()
              : Path.of(parent.display()).resolve(relative).normalize().toString();
          return new ChartSource.ChartDir(dir, display, name);
        }
      }
    }
    try (Stream<Path> files = Files.list(charts)) {
      for (Path tgz : files.filter(f -> f.getFileName().toString().endsWith(".tgz")).sorted().toList()) {
        Path tmp = Files.createTempDirectory("kapas-chart");
        scratch.add(tmp);
        Path root = Tar.extract(tgz, tmp);
        String chartName = name(root);
        boolean aliased = dependencies(parent.dir()).stream()
            .anyMatch(d -> d.key().equals(name) && d.name().equals(chartName));
        if (root.getFileName().toString().equals(name) || chartName.equals(name) || aliased) {
          return new ChartSource.ChartDir(root, parent.file("charts/" + tgz.getFileName()) + "!/" + root.getFileName(), name);
        }
      }
    } catch (IOException e) {
      // fall through: the files are named where Helm says they are
    }
    return new ChartSource.ChartDir(charts.resolve(name), parent.file("charts/" + name), name);
  }

  /** A value found in a values file, under its concrete key ({@code [*]} replaced by an index). */
  record Found(Node node, String key) {}

  private static final Pattern SEGMENT = Pattern.compile("\\.?([^.\\[\\]]+)|\\[(\\d+|\\*)]");

  /**
   * The node at a value key such as {@code a.b[0].c}. A {@code [*]} (a {@code range} element)
   * takes the first item whose value below matches {@code rendered} (the text the template
   * wrote), so that the finding names the item that produced it.
   */
  static java.util.Optional<Found> at(Node root, String key, String rendered) {
    List<String> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(key);
    while (m.find()) {
      segments.add(m.group(1) != null ? "." + m.group(1) : "[" + m.group(2) + "]");
    }
    return at(root, segments, 0, "", rendered);
  }

  private static java.util.Optional<Found> at(Node n, List<String> segments, int i, String path, String rendered) {
    if (n.isMissing()) {
      return java.util.Optional.empty();
    }
    if (i == segments.size()) {
      return java.util.Optional.of(new Found(n, path.startsWith(".") ? path.substring(1) : path));
    }
    String s = segments.get(i);
    if (s.equals("[*]")) {
      java.util.Optional<Found> first = java.util.Optional.empty();
      for (int k = 0; k < n.items().size(); k++) {
        java.util.Optional<Found> f = at(n.items().get(k), segments, i + 1, path + "[" + k + "]", rendered);
        if (f.isPresent() && f.get().node().text().map(t -> t.equals(rendered)).orElse(false)) {
          return f;
        }
        first = first.isPresent() ? first : f;
      }
      return n.items().size() == 1 ? first : java.util.Optional.empty();
    }
    Node next = s.startsWith("[") ? n.get(Integer.parseInt(s.substring(1, s.length() - 1))) : n.get(s.substring(1));
    return at(next, segments, i + 1, path + s, rendered);
  }
}

package dev.kapas.source.helm;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders Helm charts (a directory with Chart.yaml, or a packaged .tgz) and reads the objects,
 * each pointing at the template file that produced it ({@code <chart>/templates/x.yaml}, from
 * the rendered {@code # Source:} comments) and, line by line, at the template line (see
 * {@link TemplateMap}). Fields whose value came from a chart value are remembered, so that
 * findings about them can name the value key and where it was set ({@link #valueSource}).
 */
public final class ChartSource implements ManifestSource.Charts {
  private static final Pattern SOURCE = Pattern.compile("^# Source: (.+)$");
  /** A template position in Helm's messages: {@code chart/templates/x.yaml:12:3} (line and column optional). */
  private static final Pattern HELM_POSITION = Pattern.compile(
      "([\\w.-]+(?:/charts/[\\w.-]+)*/templates/[^:\\s()]+?)(?::(\\d+))?(?::(\\d+))?(?=[:\\s)]|$)");

  private final HelmOptions options;
  private final YamlTreeReader yaml;
  private final Map<String, String> valueSources = new HashMap<>();
  private final Map<String, String> hooks = new HashMap<>();

  public ChartSource(HelmOptions options, YamlTreeReader.Limits limits) {
    this.options = options;
    this.yaml = new YamlTreeReader(limits);
  }

  /** Whether any rendered chart set a field from a value, so that a finding may name one. */
  public boolean hasValueSources() {
    synchronized (valueSources) {
      return !valueSources.isEmpty();
    }
  }

  /**
   * Where the value behind a field was set, e.g. {@code value `securityContext.privileged`
   * (charts/app/values.yaml:9)}; empty when the field did not come from a chart value.
   */
  public Optional<String> valueSource(String objectKey, String fieldPath) {
    synchronized (valueSources) {
      return Optional.ofNullable(valueSources.get(objectKey + '\u0000' + fieldPath));
    }
  }

  public boolean hasHooks() {
    synchronized (hooks) {
      return !hooks.isEmpty();
    }
  }

  /**
   * How a hook object is marked in findings, e.g. {@code Helm hook: pre-install,pre-upgrade};
   * empty for an object that is not a hook.
   */
  public Optional<String> hook(String objectKey) {
    synchronized (hooks) {
      return Optional.ofNullable(hooks.get(objectKey)).map(events -> "Helm hook: " + events);
    }
  }

  @Override
  public ManifestSource.Result read(String chart) {
    List<Diagnostic> errors = new ArrayList<>();
    List<Path> temporary = new ArrayList<>();
    ChartDir top = null;
    try {
      top = open(chart, temporary);
      Path work = Files.createTempDirectory("kapas-helm");
      temporary.add(work);
      Path staged = work.resolve("chart");
      ChartStaging.stage(top.dir(), staged, ApiVersions.served(options.kubeVersion(), options.apiVersions()));
      List<Path> valuesFiles = new ArrayList<>();
      for (Path f : options.valuesFiles()) {
        valuesFiles.add(ChartStaging.valuesFile(f, work, valuesFiles.size()));
      }
      HelmRenderer.Request request = new HelmRenderer.Request(staged, options.releaseName(), options.namespace(),
          options.kubeVersion(), valuesFiles, options.set(), HelmOptions.MAX_OUTPUT_CHARS);
      HelmProcess.Rendered rendered = HelmProcess.render(request, options.renderTimeout(), work);
      ValueIndex values = new ValueIndex(top, options);
      return parse(ChartStaging.restoreHooks(rendered.manifests()), ChartStaging.restoreHooks(rendered.again()),
          top, values, errors, temporary);
    } catch (HelmProcess.RenderException e) {
      errors.add(renderError(chart, top, e.getMessage(), temporary));
    } catch (IOException | UncheckedIOException e) {
      errors.add(Diagnostic.ofFile(chart, "cannot read Helm chart: " + e.getMessage()));
    } finally {
      temporary.forEach(ChartSource::deleteTree);
    }
    return new ManifestSource.Result(List.of(), errors, List.of());
  }

  /**
   * Helm's message, at the template file and line it names ({@code template:
   * app/templates/x.yaml:12:3: ...}, {@code execution error at (app/templates/x.yaml:3:4)}),
   * else at the chart.
   */
  private Diagnostic renderError(String chart, ChartDir top, String message, List<Path> scratch) {
    String text = "cannot render Helm chart: " + message;
    Matcher m = HELM_POSITION.matcher(message);
    if (top == null || !m.find()) {
      return Diagnostic.ofFile(chart, text);
    }
    String file = locate(top, m.group(1), new ValueIndex(top, options), scratch).file();
    int line = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    int column = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new Diagnostic(file, line, column, text);
  }

  /** As {@code helm template --skip-tests} tells a test: {@code test} among the hook's events (or Helm 2's names). */
  private static boolean isTestHook(String events) {
    for (String event : events.split(",")) {
      String e = event.strip();
      if (e.equals("test") || e.equals("test-success") || e.equals("test-failure")) {
        return true;
      }
    }
    return false;
  }

  /** A chart on disk ({@code dir}) and how its files are named in findings ({@code display}). */
  record ChartDir(Path dir, String display, String name) {
    String file(String relative) {
      return display + "/" + relative;
    }
  }

  private ChartDir open(String chart, List<Path> temporary) throws IOException {
    Path path = Path.of(chart);
    if (Files.isDirectory(path)) {
      return new ChartDir(path, chart.endsWith("/") ? chart.substring(0, chart.length() - 1) : chart,
          ChartFiles.name(path));
    }
    Path tmp = Files.createTempDirectory("kapas-chart");
    temporary.add(tmp);
    Path root = Tar.extract(path, tmp);
    return new ChartDir(root, chart + "!/" + root.getFileName(), ChartFiles.name(root));
  }

  private ManifestSource.Result parse(String rendered, String again, ChartDir top, ValueIndex values,
      List<Diagnostic> errors, List<Path> scratch) {
    List<KubeObject> objects = new ArrayList<>();
    List<Diagnostic> notes = new ArrayList<>();
    Map<String, TemplateMap> templates = new HashMap<>();
    Map<String, Integer> documentsPerFile = new HashMap<>();
    Map<String, List<String>> second = new HashMap<>();
    for (Document d : documents(again)) {
      second.put(d.source() + '\u0000' + d.index(), d.lines());
    }
    for (Document d : documents(rendered)) {
      Template template = locate(top, d.source(), values, scratch);
      TemplateMap map = templates.computeIfAbsent(template.file(), f -> template.text().map(TemplateMap::new).orElse(null));
      int index = documentsPerFile.merge(template.file(), 1, Integer::sum);
      readDocument(d.lines(), second.get(d.source() + '\u0000' + d.index()), index, template, map, objects, errors,
          notes);
    }
    return new ManifestSource.Result(objects, errors, notes);
  }

  /** One rendered document: the template it came from ({@code # Source:}), its number among that template's, its lines. */
  record Document(String source, int index, List<String> lines) {}

  private static List<Document> documents(String rendered) {
    List<Document> out = new ArrayList<>();
    Map<String, Integer> perSource = new HashMap<>();
    String[] lines = rendered.split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      while (i < lines.length && !SOURCE.matcher(lines[i]).matches()) {
        i++;
      }
      if (i >= lines.length) {
        break;
      }
      String source = SOURCE.matcher(lines[i]).replaceFirst("$1").strip();
      i++;
      List<String> doc = new ArrayList<>();
      while (i < lines.length && !lines[i].equals("---")) {
        doc.add(lines[i]);
        i++;
      }
      out.add(new Document(source, perSource.merge(source, 1, Integer::sum), doc));
    }
    return out;
  }

  /** A template file: how findings name it, its text (when it can be read), and its chart's values. */
  record Template(String file, Optional<String> text, ValueIndex.Scope values) {}

  /** Resolves {@code webapp/charts/cache/templates/x.yaml} to the file in the user's tree. */
  private Template locate(ChartDir top, String source, ValueIndex values, List<Path> scratch) {
    String rest = source.contains("/") ? source.substring(source.indexOf('/') + 1) : source;
    ChartDir chart = top;
    String valuePrefix = "";
    while (rest.startsWith("charts/") && rest.indexOf('/', 7) > 0) {
      String name = rest.substring(7, rest.indexOf('/', 7));
      rest = rest.substring(rest.indexOf('/', 7) + 1);
      chart = ChartFiles.subchart(chart, name, scratch);
      valuePrefix = valuePrefix + name + ".";
    }
    Path file = chart.dir().resolve(rest);
    Optional<String> text = Optional.empty();
    try {
      if (Files.isRegularFile(file)) {
        text = Optional.of(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      text = Optional.empty();
    }
    return new Template(chart.file(rest), text, values.scope(chart, valuePrefix));
  }

  private void readDocument(List<String> doc, List<String> again, int index, Template template, TemplateMap map,
      List<KubeObject> objects, List<Diagnostic> errors, List<Diagnostic> notes) {
    TemplateMap.Alignment alignment = map == null ? null : map.align(doc);
    String text = String.join("\n", doc);
    yaml.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8,
        new YamlTreeReader.Sink() {
          @Override
          public void document(int ignored, Node root) {
            if (root.isNull()) {
              return;
            }
            if (!(root instanceof MapNode)) {
              notes.add(new Diagnostic(template.file(), line(root.line()), 0,
                  "rendered document " + index + " is not a map; skipped"));
              return;
            }
            Remap remap = new Remap(doc, map, alignment, template.values());
            MapNode tree = (MapNode) remap.node(root, "", null, "");
            if (tree.get("apiVersion").text().isEmpty() || tree.get("kind").text().isEmpty()) {
              notes.add(new Diagnostic(template.file(), tree.line(), tree.column(),
                  "rendered document " + index + " has no apiVersion/kind; skipped"));
              return;
            }
            String hookEvents = tree.get("metadata").get("annotations").get(ChartStaging.HOOK).textOr("").strip();
            if (options.skipTests() && isTestHook(hookEvents)) {
              return;
            }
            KubeObject object = new KubeObject(tree, new Origin(template.file(), index, tree.line(), tree.column()))
                .withGenerated(generated(tree, again));
            objects.add(object);
            if (!hookEvents.isEmpty()) {
              synchronized (hooks) {
                hooks.put(object.key(), hookEvents.replace(" ", ""));
              }
            }
            synchronized (valueSources) {
              remap.sources.forEach((path, where) -> valueSources.put(object.key() + '\u0000' + path, where));
            }
          }

          @Override
          public void error(int line, int column, String message) {
            errors.add(new Diagnostic(template.file(), line(line), 0, "rendered YAML: " + message));
          }

          private int line(int renderedLine) {
            return alignment == null || renderedLine < 1 || renderedLine > doc.size()
                ? 1 : alignment.templateLine()[renderedLine - 1] + 1;
          }
        });
  }

  /**
   * The values of a Secret's {@code data} and {@code stringData} that the chart generated: those
   * that differ in {@code again}, a second render of the same chart with the same values
   * ({@code randAlphaNum}, {@code randBytes}, {@code genPrivateKey}, {@code genCA}: a new value
   * each time; {@code lookup} answers nothing when rendering, so a chart that reuses an existing
   * Secret's value generates one). Empty for other kinds, or when there is no second render.
   */
  private Set<Node> generated(MapNode tree, List<String> again) {
    if (again == null || !tree.get("kind").textOr("").equals("Secret")) {
      return Set.of();
    }
    List<Node> other = new ArrayList<>();
    yaml.read(new ByteArrayInputStream(String.join("\n", again).getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
          @Override
          public void document(int ignored, Node root) {
            other.add(root);
          }

          @Override
          public void error(int line, int column, String message) {
            // a second render that does not parse tells nothing
          }
        });
    if (other.size() != 1) {
      return Set.of();
    }
    Set<Node> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (String section : List.of("data", "stringData")) {
      tree.get(section).asMap().ifPresent(entries -> {
        for (MapNode.Entry e : entries.entries()) {
          if (!e.value().text().equals(other.get(0).get(section).get(e.key()).text())) {
            out.add(e.value());
          }
        }
      });
    }
    return out;
  }

  /**
   * Rebuilds a rendered tree with template positions, and collects, per field path, where the
   * value behind it was set.
   */
  private static final class Remap {
    final List<String> doc;
    final TemplateMap map;
    final TemplateMap.Alignment alignment;
    final ValueIndex.Scope values;
    final Map<String, String> sources = new LinkedHashMap<>();

    Remap(List<String> doc, TemplateMap map, TemplateMap.Alignment alignment, ValueIndex.Scope values) {
      this.doc = doc;
      this.map = map;
      this.alignment = alignment;
      this.values = values;
    }

    /** {@code segment}: how this node hangs below its parent ({@code .name} or {@code [0]}). */
    Node node(Node n, String path, Key parentKey, String segment) {
      int renderedLine = n.line();
      int line = templateLine(renderedLine);
      int column = column(renderedLine, n.column(), line);
      Key key = keyOf(renderedLine, parentKey, segment);
      if (key != null) {
        List<String> where = new ArrayList<>();
        String rendered = n.text().orElse("");
        key.values().forEach(v -> values.describe(v, rendered).ifPresent(where::add));
        if (!where.isEmpty()) {
          sources.put(path, String.join(" and ", where));
        }
      }
      if (n instanceof MapNode m) {
        List<String> keys = new ArrayList<>();
        List<Node> children = new ArrayList<>();
        for (MapNode.Entry e : m.entries()) {
          keys.add(e.key());
          children.add(node(e.value(), path.isEmpty() ? e.key() : path + "." + e.key(), key, "." + e.key()));
        }
        return new MapNode(keys, children, line, column);
      }
      if (n instanceof ListNode l) {
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
          items.add(node(l.items().get(i), path + "[" + i + "]", key, "[" + i + "]"));
        }
        return new ListNode(items, line, column);
      }
      if (n instanceof ScalarNode s) {
        return new ScalarNode(s.value(), s.plain(), line, column);
      }
      return n;
    }

    /**
     * The value keys behind the node on {@code renderedLine}. A line matched to a template line
     * reads the values of that line's actions. A line written by an action ({@code toYaml X |
     * nindent N}) continues its parent's key when the parent came from the same action, else
     * it is X plus its own key.
     */
    private Key keyOf(int renderedLine, Key parentKey, String segment) {
      if (map == null || renderedLine < 1 || renderedLine > doc.size()) {
        return null;
      }
      int t = alignment.templateLine()[renderedLine - 1];
      if (t < 0) {
        return null;
      }
      if (alignment.written()[renderedLine - 1]) {
        if (parentKey != null && parentKey.writer() == t && parentKey.values().size() == 1) {
          return new Key(List.of(parentKey.values().get(0) + segment), t);
        }
        List<String> refs = map.valueRefs(t);
        return refs.size() == 1 ? new Key(List.of(refs.get(0) + segment), t) : null;
      }
      List<String> refs = map.valueRefs(t);
      return refs.isEmpty() ? null : new Key(refs, t);
    }

    private int templateLine(int renderedLine) {
      if (alignment == null || renderedLine < 1 || renderedLine > doc.size()) {
        return 1;
      }
      return alignment.templateLine()[renderedLine - 1] + 1;
    }

    private int column(int renderedLine, int renderedColumn, int templateLine) {
      if (map == null || renderedLine < 1 || renderedLine > doc.size() || templateLine < 1) {
        return templateLine < 1 ? 0 : renderedColumn;
      }
      int offset = renderedColumn - 1 - TemplateMap.indentOf(doc.get(renderedLine - 1));
      return Math.max(1, map.indent(templateLine - 1) + 1 + Math.max(0, offset));
    }
  }

  /** The value keys behind a node, and the template line whose action wrote it. */
  record Key(List<String> values, int writer) {}

  static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      root.toFile().deleteOnExit();
    }
  }

  static String unquote(String s) {
    Matcher m = Pattern.compile("^[\"'](.*)[\"']$").matcher(s.strip());
    return m.matches() ? m.group(1) : s.strip();
  }
}

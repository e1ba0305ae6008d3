package dev.kapas.source.manifest;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import dev.kapas.source.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests from files, directories (recursively: .yaml, .yml, .json) and
 * stdin ({@code -}): multi-document YAML, JSON, {@code kind: List} and typed lists. Every object
 * keeps its file, document, line and column. Nothing here judges security.
 */
public final class ManifestSource {
  public static final String STDIN = "-";
  private static final int SNIFF_BYTES = 8192;
  /** Errors (and notes) listed per input; the rest are counted: one bad file must not flood the report. */
  static final int MAX_DIAGNOSTICS = 100;
  /**
   * Files up to this size are first tried with the block-YAML fast path (read whole into memory);
   * larger ones, and stdin, a piece at a time ({@link PieceReader}).
   */
  private static final int BLOCK_FAST_PATH_BYTES = 4 << 20;

  private final InputStream stdin;
  private final YamlTreeReader yaml;
  private Charts charts = chart -> new Result(List.of(),
      List.of(Diagnostic.ofFile(chart, "this is a Helm chart; Helm rendering is not enabled")), List.of());

  /** Reads a Helm chart (a directory with Chart.yaml, or a packaged .tgz) met among the inputs. */
  public interface Charts {
    Result read(String chart);
  }

  public ManifestSource(InputStream stdin, YamlTreeReader.Limits limits) {
    this.stdin = stdin;
    this.yaml = new YamlTreeReader(limits);
  }

  /** Charts among the inputs, and directories' subtrees that hold a Chart.yaml, go to {@code charts}. */
  public ManifestSource withCharts(Charts charts) {
    this.charts = charts;
    return this;
  }

  /** What reading produced, in input order. */
  public record Result(List<KubeObject> objects, List<Diagnostic> errors, List<Diagnostic> notes) {}

  /**
   * Reads all {@code paths}; {@code progress} is told each time a file is done. Within what one
   * path brings (a file, a directory tree, a chart, a kustomization), an object defined twice is
   * kept once (see {@link Duplicates}).
   */
  public Result read(List<String> paths, Progress progress) {
    List<String> files = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    List<String> chartPaths = new ArrayList<>();
    List<Path> kustomizations = new ArrayList<>();
    // which path each file, chart and kustomization came from
    List<Integer> fileInput = new ArrayList<>();
    List<Integer> chartInput = new ArrayList<>();
    List<Integer> kustomizationInput = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      expand(paths.get(i), files, errors, chartPaths, kustomizations);
      pad(fileInput, files.size(), i);
      pad(chartInput, chartPaths.size(), i);
      pad(kustomizationInput, kustomizations.size(), i);
    }
    progress.start("reading manifests", files.size());
    List<FileResult> results = readAll(files, progress);
    progress.done();
    List<List<KubeObject>> objectsOf = new ArrayList<>();
    paths.forEach(p -> objectsOf.add(new ArrayList<>()));
    List<Diagnostic> notes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      FileResult r = results.get(i);
      objectsOf.get(fileInput.get(i)).addAll(r.objects);
      errors.addAll(r.errors);
      notes.addAll(r.notes);
    }
    for (int i = 0; i < chartPaths.size(); i++) {
      Result r = charts.read(chartPaths.get(i));
      objectsOf.get(chartInput.get(i)).addAll(r.objects());
      errors.addAll(r.errors());
      notes.addAll(r.notes());
    }
    List<Result> built = build(kustomizations);
    for (int i = 0; i < built.size(); i++) {
      objectsOf.get(kustomizationInput.get(i)).addAll(built.get(i).objects());
      errors.addAll(built.get(i).errors());
      notes.addAll(built.get(i).notes());
    }
    List<KubeObject> objects = new ArrayList<>();
    for (List<KubeObject> input : objectsOf) {
      Duplicates.Outcome unique = Duplicates.keepLast(input);
      objects.addAll(unique.kept());
      notes.addAll(unique.notes());
    }
    return new Result(objects, errors, notes);
  }

  private static void pad(List<Integer> inputs, int size, int input) {
    while (inputs.size() < size) {
      inputs.add(input);
    }
  }

  /**
   * Builds the kustomizations among the inputs, one result each; one that another builds as its
   * base (an overlay's base met in the same tree) is empty: it is scanned as part of that one
   * only, as `kubectl apply -k overlay` would apply it.
   */
  private List<Result> build(List<Path> kustomizations) {
    java.util.Set<Path> bases = new java.util.HashSet<>();
    List<Result> builds = new ArrayList<>();
    List<java.util.Set<Path>> basesOf = new ArrayList<>();
    for (Path dir : kustomizations) {
      Kustomization k = new Kustomization(yaml, this::readOne);
      builds.add(k.build(dir));
      bases.addAll(k.bases());
      basesOf.add(k.bases());
    }
    // kept: those no other builds, then (bases of each other: a cycle) the first of each group
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < kustomizations.size(); i++) {
      if (!bases.contains(absolute(kustomizations.get(i)))) {
        kept.add(i);
      }
    }
    for (int i = 0; i < kustomizations.size(); i++) {
      Path dir = absolute(kustomizations.get(i));
      if (!kept.contains(i) && kept.stream().noneMatch(j -> basesOf.get(j).contains(dir))) {
        kept.add(i);
      }
    }
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < kustomizations.size(); i++) {
      out.add(kept.contains(i) ? builds.get(i) : new Result(List.of(), List.of(), List.of()));
    }
    return out;
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  /** One file's objects, errors and notes. */
  private Result readOne(String file) {
    FileResult r = readFile(file);
    return new Result(r.objects, r.errors, r.notes);
  }

  /** Turns one argument into the files to read; what cannot be read becomes an error. */
  private void expand(String arg, List<String> files, List<Diagnostic> errors, List<String> chartPaths,
      List<Path> kustomizations) {
    if (arg.equals(STDIN)) {
      files.add(STDIN);
      return;
    }
    Path path = Path.of(arg);
    if (!Files.exists(path)) {
      errors.add(Diagnostic.ofFile(arg, "no such file or directory"));
      return;
    }
    if (isChart(path)) {
      chartPaths.add(arg);
      return;
    }
    if (Files.isDirectory(path) && Kustomization.fileOf(path).isPresent()) {
      kustomizations.add(path);
      return;
    }
    if (!Files.isDirectory(path)) {
      try {
        Optional<String> notAFile = InputFile.notAFile(path);
        if (notAFile.isPresent()) {
          errors.add(Diagnostic.ofFile(arg, InputFile.refusal(notAFile.get())));
          return;
        }
      } catch (IOException e) {
        errors.add(Diagnostic.ofFile(arg, "cannot read file: " + e.getMessage()));
        return;
      }
      files.add(arg);
      return;
    }
    if (!Files.isReadable(path)) {
      errors.add(Diagnostic.ofFile(arg, "cannot read directory: permission denied"));
      return;
    }
    List<String> found = new ArrayList<>();
    int errorsBefore = errors.size();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.filter(p -> !isHidden(path, p) && (isManifestName(p) || isKustomizationName(p)) && !Files.isDirectory(p))
          .map(Path::toString)
          .sorted()
          .forEach(f -> {
            if (Files.isRegularFile(Path.of(f))) {
              found.add(f);
            } else {
              // a named pipe or a device named like a manifest: say so rather than skip it unseen
              errors.add(Diagnostic.ofFile(f, notRead(Path.of(f))));
            }
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      errors.add(Diagnostic.ofFile(arg, "cannot list directory: " + e.getMessage()));
    }
    List<String> chartRoots = found.stream().filter(f -> Path.of(f).getFileName().toString().equals(CHART_FILE))
        .map(f -> f.substring(0, f.length() - CHART_FILE.length())).toList();
    chartRoots.stream().filter(root -> chartRoots.stream().noneMatch(r -> !r.equals(root) && root.startsWith(r)))
        .forEach(root -> chartPaths.add(root.substring(0, root.length() - 1)));
    found.removeIf(f -> chartRoots.stream().anyMatch(f::startsWith));
    // a kustomization defines its directory: the files under it are read only as it names them
    List<String> kustomizationRoots = found.stream().filter(f -> isKustomizationName(Path.of(f)))
        .map(f -> f.substring(0, f.length() - Path.of(f).getFileName().toString().length())).distinct().toList();
    kustomizationRoots.forEach(root -> kustomizations.add(Path.of(root)));
    found.removeIf(f -> kustomizationRoots.stream().anyMatch(f::startsWith));
    if (found.isEmpty() && chartRoots.isEmpty() && kustomizationRoots.isEmpty() && errors.size() == errorsBefore) {
      errors.add(Diagnostic.ofFile(arg, "no .yaml, .yml or .json files in this directory"));
    }
    files.addAll(found);
  }

  private static final String CHART_FILE = "Chart.yaml";

  /** A Helm chart: a directory with a Chart.yaml, or a packaged chart (.tgz). */
  public static boolean isChart(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isDirectory(path) ? Files.isRegularFile(path.resolve(CHART_FILE))
        : name.endsWith(".tgz") || name.endsWith(".tar.gz");
  }

  private static String notRead(Path p) {
    try {
      return InputFile.refusal(InputFile.notAFile(p).orElse("not a regular file"));
    } catch (IOException e) {
      return "a link to nothing: not read";
    }
  }

  private static boolean isKustomizationName(Path p) {
    return Kustomization.FILE_NAMES.contains(p.getFileName().toString());
  }

  private static boolean isHidden(Path top, Path p) {
    for (Path part : top.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isManifestName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private List<FileResult> readAll(List<String> files, Progress progress) {
    int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
    if (threads == 1) {
      List<FileResult> out = new ArrayList<>();
      for (String f : files) {
        out.add(readFile(f));
        progress.advance();
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "kapas-read");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<FileResult>> futures = new ArrayList<>();
      for (String f : files) {
        futures.add(pool.submit(() -> {
          FileResult r = readFile(f);
          progress.advance();
          return r;
        }));
      }
      List<FileResult> out = new ArrayList<>();
      for (Future<FileResult> future : futures) {
        out.add(future.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading manifests", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading manifests failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private FileResult readFile(String file) {
    FileResult result = new FileResult(file);
    read(file, result);
    result.finish();
    return result;
  }

  private void read(String file, FileResult result) {
    boolean fromStdin = file.equals(STDIN);
    // stdin and a shell's pipe (`kapas scan <(helm template ...)`) have no size to go by
    boolean stream = fromStdin || InputFile.isAnonymousPipe(Path.of(file));
    try {
      long size = stream ? YamlTreeReader.MAX_BUFFER : Files.size(Path.of(file));
      if (size > InputFile.MAX_BYTES) {
        result.errors.add(Diagnostic.ofFile(file, "the file has " + size + " bytes, more than " + InputFile.tooLarge()));
        return;
      }
      if (!stream && file.toLowerCase(Locale.ROOT).endsWith(".json")) {
        Optional<Node> root = yaml.readJson(Path.of(file));
        if (root.isPresent()) {
          result.document(1, root.get());
          return;
        }
      }
      // a pipe through FileInputStream: the NIO stream's available() seeks, which a pipe refuses
      try (InputStream opened = fromStdin ? InputFile.openStream(nonClosing(stdin))
          : stream ? InputFile.openStream(new java.io.FileInputStream(file)) : InputFile.open(Path.of(file))) {
        readText(file, opened, size, stream, result);
      }
    } catch (InputFile.TooLong e) {
      result.errors.add(Diagnostic.ofFile(file, e.getMessage()));
    } catch (AccessDeniedException e) {
      result.errors.add(Diagnostic.ofFile(file, "cannot read file: permission denied"));
    } catch (NoSuchFileException e) {
      result.errors.add(Diagnostic.ofFile(file, "no such file or directory"));
    } catch (IOException e) {
      result.errors.add(Diagnostic.ofFile(file, "cannot read file: " + e.getMessage()));
    }
  }

  /** Reads the text of {@code opened}, {@code size} bytes long unless it is a {@code stream}. */
  private void readText(String file, InputStream opened, long size, boolean stream, FileResult result)
      throws IOException {
    InputStream raw = opened;
    if (!stream && size <= BLOCK_FAST_PATH_BYTES) {
      byte[] bytes = opened.readAllBytes();
      if (yaml.readBlock(bytes, result)) {
        return;
      }
      raw = new java.io.ByteArrayInputStream(bytes);
    }
    BufferedInputStream in = new BufferedInputStream(raw,
        (int) Math.max(SNIFF_BYTES, Math.min(YamlTreeReader.MAX_BUFFER, size + 1)));
    Charset charset = sniff(in, result);
    if (charset == null) {
      return;
    }
    if (charset.equals(StandardCharsets.UTF_8) && stream && startsLikeJson(in)) {
      // `kubectl get -o json | kapas scan -`: one JSON value, read with the JSON fast path when
      // it is clean, else as YAML like any other input; past the document limit, too large to
      // hold for a second reading, it is read once, as a List or not at all
      byte[] bytes = in.readNBytes(yaml.limits().maxDocumentCodePoints() + 1);
      if (bytes.length > yaml.limits().maxDocumentCodePoints()) {
        yaml.readLargeJson(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(bytes), in), result);
        return;
      }
      Optional<Node> root = yaml.readJson(bytes);
      if (root.isPresent()) {
        result.document(1, root.get());
        return;
      }
      new PieceReader(yaml, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(bytes), in), result)
          .read();
    } else if (charset.equals(StandardCharsets.UTF_8) && (stream || size > BLOCK_FAST_PATH_BYTES)) {
      new PieceReader(yaml, in, result).read();
    } else {
      yaml.read(in, charset, result, size);
    }
    if (result.documents == 0 && result.errors.isEmpty()) {
      result.errors.add(new Diagnostic(file, 1, 0, "empty file: no YAML documents"));
    }
  }

  /** Whether the first character that is not white space is {@code {} or {@code [}. */
  private static boolean startsLikeJson(BufferedInputStream in) throws IOException {
    in.mark(SNIFF_BYTES);
    try {
      for (int i = 0; i < SNIFF_BYTES; i++) {
        int b = in.read();
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
          return b == '{' || b == '[';
        }
      }
      return false;
    } finally {
      in.reset();
    }
  }

  /** Picks the charset from a byte-order mark; null (with an error) for binary content. */
  private static Charset sniff(BufferedInputStream in, FileResult result) throws IOException {
    in.mark(SNIFF_BYTES);
    byte[] head = in.readNBytes(SNIFF_BYTES);
    in.reset();
    if (head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
        || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
      return StandardCharsets.UTF_16;
    }
    if (head.length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
      in.skip(3);
      return StandardCharsets.UTF_8;
    }
    int line = 1;
    int column = 0;
    for (byte b : head) {
      column++;
      if (b == '\n') {
        line++;
        column = 0;
      } else if (b == 0) {
        result.errors.add(new Diagnostic(result.file, line, column,
            "binary file (a NUL byte here), not YAML or JSON text"));
        return null;
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /** Collects one file's documents as objects, and its errors and notes. */
  private static final class FileResult implements YamlTreeReader.Sink {
    final String file;
    final List<KubeObject> objects = new ArrayList<>();
    final List<Diagnostic> errors = new ArrayList<>();
    final List<Diagnostic> notes = new ArrayList<>();
    int documents;
    private int errorsLeftOut;
    private int notesLeftOut;

    FileResult(String file) {
      this.file = file;
    }

    /** One more error, unless the file already has {@link #MAX_DIAGNOSTICS}: those are counted. */
    private void addError(Diagnostic d) {
      if (errors.size() < MAX_DIAGNOSTICS) {
        errors.add(d);
      } else {
        errorsLeftOut++;
      }
    }

    private void addNote(Diagnostic d) {
      if (notes.size() < MAX_DIAGNOSTICS) {
        notes.add(d);
      } else {
        notesLeftOut++;
      }
    }

    /** Says how many errors and notes were left out. */
    void finish() {
      if (errorsLeftOut > 0) {
        errors.add(Diagnostic.ofFile(file, "and " + errorsLeftOut + " more errors in this file (the first "
            + MAX_DIAGNOSTICS + " are listed)"));
      }
      if (notesLeftOut > 0) {
        notes.add(Diagnostic.ofFile(file, "and " + notesLeftOut + " more notes in this file (the first "
            + MAX_DIAGNOSTICS + " are listed)"));
      }
    }

    @Override
    public void document(int index, Node root) {
      if (root.isNull()) {
        return;
      }
      documents++;
      if (!(root instanceof MapNode map)) {
        addNote(new Diagnostic(file, root.line(), root.column(),
            "document " + index + " is not a map; skipped"));
        return;
      }
      if (isList(map)) {
        addListItems(index, map);
        return;
      }
      if (map.get("apiVersion").text().isEmpty() || map.get("kind").text().isEmpty()) {
        addNote(new Diagnostic(file, map.line(), map.column(),
            "document " + index + " has no apiVersion/kind; skipped"));
        return;
      }
      objects.add(new KubeObject(map, new Origin(file, index, map.line(), map.column())));
    }

    private static boolean isList(MapNode map) {
      String kind = map.get("kind").textOr("");
      return kind.endsWith("List") && map.get("items") instanceof ListNode;
    }

    /** {@code kind: List} items name their own kind; {@code PodList} items may not. */
    private void addListItems(int index, MapNode list) {
      String listKind = list.get("kind").textOr("");
      String itemKind = listKind.equals("List") ? "" : listKind.substring(0, listKind.length() - 4);
      String listApiVersion = list.get("apiVersion").textOr("");
      for (Node item : list.get("items").items()) {
        if (!(item instanceof MapNode map)) {
          addNote(new Diagnostic(file, item.line(), item.column(),
              "a " + listKind + " item is not a map; skipped"));
          continue;
        }
        MapNode object = withDefaults(map, itemKind, listApiVersion);
        if (object.get("apiVersion").text().isEmpty() || object.get("kind").text().isEmpty()) {
          addNote(new Diagnostic(file, map.line(), map.column(),
              "a " + listKind + " item has no apiVersion/kind; skipped"));
          continue;
        }
        objects.add(new KubeObject(object, new Origin(file, index, map.line(), map.column())));
      }
    }

    private static MapNode withDefaults(MapNode item, String kind, String apiVersion) {
      if (kind.isEmpty() || (item.has("kind") && item.has("apiVersion"))) {
        return item;
      }
      List<String> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      if (!item.has("apiVersion")) {
        keys.add("apiVersion");
        values.add(new ScalarNode(apiVersion, false, item.line(), item.column()));
      }
      if (!item.has("kind")) {
        keys.add("kind");
        values.add(new ScalarNode(kind, false, item.line(), item.column()));
      }
      for (MapNode.Entry e : item.entries()) {
        keys.add(e.key());
        values.add(e.value());
      }
      return new MapNode(keys, values, item.line(), item.column());
    }

    @Override
    public void error(int line, int column, String message) {
      addError(new Diagnostic(file, line, column, message));
    }
  }
}

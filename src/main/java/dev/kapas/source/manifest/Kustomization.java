package dev.kapas.source.manifest;

import dev.kapas.model.ClusterScopedKinds;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Missing;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import dev.kapas.source.manifest.KustomizeFields.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds a Kustomize directory (one with a {@code kustomization.yaml}) in-process, as
 * {@code kubectl kustomize} does: {@code resources} (files, and directories that are
 * kustomizations themselves: bases, recursively), {@code components}, {@code configMapGenerator}
 * and {@code secretGenerator} (with kustomize's content-hash suffix), patches (strategic merge or
 * JSON 6902, from files or inline, with targets by group, version, kind, name and namespace),
 * {@code namespace}, {@code namePrefix}/{@code nameSuffix}, {@code commonLabels}/{@code labels},
 * {@code commonAnnotations}, {@code replicas} and {@code images}; names that refer to a renamed object (a
 * ConfigMap, Secret, ServiceAccount, Service, role, claim) follow it. Every object keeps the file
 * and line of the resource it came from (a generated one, its generator's line in the
 * kustomization), and a field a patch or a kustomization set points there. A field not supported
 * yet, a remote base or a cycle is an input error at its line in the kustomization file, never
 * silence: the build would not be what kubectl builds. The kustomization file and patches are
 * never objects of their own.
 */
final class Kustomization {
  /** The names kustomize looks for, in its order. */
  static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "bases", "components",
      "namespace", "namePrefix", "nameSuffix", "commonLabels", "labels", "commonAnnotations", "configMapGenerator",
      "secretGenerator", "generatorOptions", "images", "replicas", "patchesStrategicMerge", "patches",
      "patchesJson6902");
  /** The kinds kustomize's {@code replicas} sets {@code spec.replicas} of. */
  private static final Set<String> SCALABLE = Set.of("Deployment", "ReplicaSet", "StatefulSet",
      "ReplicationController");
  /** Kinds whose names namePrefix and nameSuffix leave alone, as kustomize does. */
  private static final Set<String> NOT_RENAMED = Set.of("Namespace", "CustomResourceDefinition");
  private static final Pattern BLOCK_SCALAR = Pattern.compile(".*:?\\s*[|>][-+0-9]*\\s*(#.*)?$");

  private final YamlTreeReader yaml;
  private final Function<String, ManifestSource.Result> readFile;
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> notes = new ArrayList<>();
  /** The kustomization directories built as another's resource or component (bases, overlays' bases). */
  private final Set<Path> bases = new HashSet<>();
  private final Deque<Path> building = new ArrayDeque<>();
  /** What kustomize remembers of each object (by {@link #key}) through the build. */
  private final Map<String, Meta> meta = new HashMap<>();

  /** An object's name as first read (a generator's name), and whether the content-hash suffix is still to come. */
  private record Meta(String originalName, boolean hash) {}

  Kustomization(YamlTreeReader yaml, Function<String, ManifestSource.Result> readFile) {
    this.yaml = yaml;
    this.readFile = readFile;
  }

  /** The kustomization file of {@code dir}, if it has one. */
  static Optional<Path> fileOf(Path dir) {
    return FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
  }

  /** Builds {@code dir}: its objects, with this builder's errors and notes. */
  ManifestSource.Result build(Path dir) {
    List<KubeObject> objects = finish(buildDir(dir));
    return new ManifestSource.Result(objects, List.copyOf(errors), List.copyOf(notes));
  }

  /** The directories built as some kustomization's resource so far. */
  Set<Path> bases() {
    return bases;
  }

  private static String key(KubeObject o) {
    return o.origin().file() + '\u0000' + o.origin().line() + '\u0000' + o.kind();
  }

  private String originalName(KubeObject o) {
    Meta m = meta.get(key(o));
    return m == null ? o.name() : m.originalName();
  }

  private List<KubeObject> buildDir(Path dir) {
    Path file = fileOf(dir).orElseThrow();
    Optional<MapNode> read = readKustomization(file);
    if (read.isEmpty()) {
      return List.of();
    }
    building.push(dir.toAbsolutePath().normalize());
    try {
      return accumulate(dir, file.toString(), read.get(), new ArrayList<>());
    } finally {
      building.pop();
    }
  }

  /** Applies the kustomization {@code k} of {@code dir} to {@code objects} (empty, unless {@code k} is a component). */
  private List<KubeObject> accumulate(Path dir, String name, MapNode k, List<KubeObject> objects) {
    for (MapNode.Entry e : k.entries()) {
      if (!SUPPORTED.contains(e.key())) {
        errors.add(new Diagnostic(name, e.value().line(), e.value().column(), "kustomize `" + e.key()
            + "` is not supported by kapas yet; the objects are scanned as built without it"));
      }
    }
    for (String key : List.of("resources", "bases")) {
      for (Node item : k.get(key).items()) {
        for (KubeObject o : resource(dir, name, item)) {
          meta.putIfAbsent(key(o), new Meta(o.name(), false));
          objects.add(o);
        }
      }
    }
    for (Node item : k.get("components").items()) {
      objects = component(dir, name, item, objects);
    }
    for (String kind : List.of("ConfigMap", "Secret")) {
      for (Node item : k.get(kind.equals("ConfigMap") ? "configMapGenerator" : "secretGenerator").items()) {
        objects = generated(KustomizeGenerators.generate(kind, dir, name, item, k.get("generatorOptions"), errors),
            name, item, objects);
      }
    }
    for (Node item : k.get("patchesStrategicMerge").items()) {
      boolean inline = item.textOr("").contains("\n");
      objects = patch(dir, name, item, inline ? Missing.INSTANCE : item, inline ? item : Missing.INSTANCE,
          Missing.INSTANCE, objects);
    }
    for (String key : List.of("patches", "patchesJson6902")) {
      for (Node item : k.get(key).items()) {
        objects = patch(dir, name, item, item.get("path"), item.get("patch"), item.get("target"), objects);
      }
    }
    Optional<String> namespace = k.get("namespace").text();
    if (namespace.isPresent()) {
      Set<String> accounts = new HashSet<>();
      objects.stream().filter(o -> o.kind().equals("ServiceAccount"))
          .forEach(o -> accounts.add(orDefault(o.namespace()) + '/' + o.name()));
      Node at = k.get("namespace");
      objects = objects.stream()
          .map(o -> withSubjectsMoved(withNamespace(o, namespace.get()), accounts, at, name)).toList();
    }
    String prefix = k.get("namePrefix").textOr("");
    String suffix = k.get("nameSuffix").textOr("");
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
      objects = objects.stream().map(o -> NOT_RENAMED.contains(o.kind()) ? o : renamed(o, prefix + o.name() + suffix))
          .toList();
    }
    if (k.get("commonLabels") instanceof MapNode labels) {
      objects = objects.stream().map(o -> KustomizeFields.labels(o, labels, name, EnumSet.allOf(Scope.class))).toList();
    }
    for (Node entry : k.get("labels").items()) {
      if (entry.get("fields").isPresent()) {
        errors.add(new Diagnostic(name, entry.get("fields").line(), entry.get("fields").column(),
            "`labels` with `fields` is not supported by kapas yet; these labels are not applied"));
      } else if (entry.get("pairs") instanceof MapNode pairs) {
        Set<Scope> scopes = entry.get("includeSelectors").isTrue() ? EnumSet.allOf(Scope.class)
            : entry.get("includeTemplates").isTrue() ? EnumSet.of(Scope.METADATA, Scope.TEMPLATE)
            : EnumSet.of(Scope.METADATA);
        objects = objects.stream().map(o -> KustomizeFields.labels(o, pairs, name, scopes)).toList();
      }
    }
    if (k.get("commonAnnotations") instanceof MapNode annotations) {
      objects = objects.stream().map(o -> KustomizeFields.annotations(o, annotations, name)).toList();
    }
    for (Node replicas : k.get("replicas").items()) {
      objects = objects.stream().map(o -> replicas(o, replicas, name)).toList();
    }
    for (Node image : k.get("images").items()) {
      objects = objects.stream().map(o -> image(o, image)).toList();
    }
    return objects;
  }

  /** A {@code components} entry: the component's kustomization applied to the objects built so far. */
  private List<KubeObject> component(Path dir, String kustomization, Node item, List<KubeObject> objects) {
    String ref = item.textOr("");
    Path path = dir.resolve(ref).normalize();
    Optional<Path> file = Files.isDirectory(path) ? fileOf(path) : Optional.empty();
    if (file.isEmpty()) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "component `" + ref
          + "` is not a directory with a kustomization.yaml"));
      return objects;
    }
    Path absolute = path.toAbsolutePath().normalize();
    if (building.contains(absolute)) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "component `" + ref
          + "` includes this kustomization: a cycle"));
      return objects;
    }
    Optional<MapNode> k = readKustomization(file.get());
    if (k.isEmpty()) {
      return objects;
    }
    if (!k.get().get("kind").textOr("").equals("Component")) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "`" + ref
          + "` is listed in components but is not a Component (kind: Component); kustomize refuses it"));
      return objects;
    }
    bases.add(absolute);
    building.push(absolute);
    try {
      return accumulate(path, file.get().toString(), k.get(), new ArrayList<>(objects));
    } finally {
      building.pop();
    }
  }

  /** Adds a generated object, or merges it into (or replaces) the one of the same name, as its {@code behavior} says. */
  private List<KubeObject> generated(KustomizeGenerators.Generated g, String kustomization, Node item,
      List<KubeObject> objects) {
    if (g == null) {
      return objects;
    }
    if (g.behavior().equals("create")) {
      meta.put(key(g.object()), new Meta(g.name(), g.hash()));
      objects.add(g.object());
      return objects;
    }
    if (!g.behavior().equals("merge") && !g.behavior().equals("replace")) {
      errors.add(new Diagnostic(kustomization, item.get("behavior").line(), item.get("behavior").column(),
          "unknown generator behavior `" + g.behavior() + "` (create, merge or replace)"));
      return objects;
    }
    List<KubeObject> out = new ArrayList<>();
    boolean found = false;
    for (KubeObject o : objects) {
      if (!found && o.kind().equals(g.object().kind()) && originalName(o).equals(g.name())) {
        found = true;
        KubeObject from = g.object();
        Node data = from.root().get("data");
        Map<Node, String> written = new IdentityHashMap<>();
        // every value the generator brings was written in its kustomization (or the file it read)
        data.asMap().ifPresent(d -> d.entries().forEach(
            e -> written.put(e.value(), from.writtenIn(e.value()).orElse(from.origin().file()))));
        Node merged = data;
        if (g.behavior().equals("merge") && o.root().get("data") instanceof MapNode old && data instanceof MapNode add) {
          merged = old;
          for (MapNode.Entry e : add.entries()) {
            merged = Trees.set(merged, e.key(), e.value(), old.line(), old.column());
          }
        }
        o = o.withRoot(Trees.set(o.root(), "data", merged, o.root().line(), o.root().column()), written);
        // the generator's labels and annotations (its options) join the object's
        if (g.object().metadata().get("labels") instanceof MapNode labels) {
          o = KustomizeFields.labels(o, labels, kustomization, EnumSet.of(Scope.METADATA));
        }
        if (g.object().metadata().get("annotations") instanceof MapNode annotations) {
          o = KustomizeFields.annotations(o, annotations, kustomization);
        }
        out.add(o);
      } else {
        out.add(o);
      }
    }
    if (!found) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "generator `" + g.name() + "` has behavior `"
          + g.behavior() + "` but no " + g.object().kind() + " of that name comes from a base; kustomize refuses it"));
      return objects;
    }
    return out;
  }

  /** kustomize's replica count: {@code spec.replicas} of the scalable object the entry names, written in the kustomization. */
  private KubeObject replicas(KubeObject o, Node entry, String kustomization) {
    String name = entry.get("name").textOr("");
    Node count = entry.get("count");
    if (!SCALABLE.contains(o.kind()) || !(o.name().equals(name) || originalName(o).equals(name)) || count.isMissing()) {
      return o;
    }
    MapNode root = o.root();
    Node spec = root.get("spec");
    int line = spec.isPresent() ? spec.line() : root.line();
    int column = spec.isPresent() ? spec.column() : root.column();
    MapNode set = Trees.set(spec, "replicas", count, line, column);
    return o.withRoot(Trees.set(root, "spec", set, root.line(), root.column()), Map.of(count, kustomization));
  }

  /** {@code o} named {@code name}; the new name stays at the old name's position. */
  private static KubeObject renamed(KubeObject o, String name) {
    MapNode root = o.root();
    Node metadata = root.get("metadata");
    Node old = metadata.get("name");
    int line = old.isPresent() ? old.line() : root.line();
    int column = old.isPresent() ? old.column() : root.column();
    Node set = Trees.set(metadata, "name", new ScalarNode(name, false, line, column),
        metadata.isPresent() ? metadata.line() : line, metadata.isPresent() ? metadata.column() : column);
    return o.withRoot(Trees.set(root, "metadata", set, root.line(), root.column()), Map.of());
  }

  /**
   * What kustomize does once the whole tree is built: the content-hash suffix of generated
   * objects, then every name that referred to an object by the name it was read with now refers
   * to it by its final name.
   */
  private List<KubeObject> finish(List<KubeObject> built) {
    List<KubeObject> objects = new ArrayList<>();
    Map<String, List<KubeObject>> renamed = new HashMap<>();
    for (KubeObject o : built) {
      Meta m = meta.get(key(o));
      if (m != null && m.hash()) {
        o = renamed(o, o.name() + "-" + KustomizeGenerators.hash(o));
      }
      if (m != null && !m.originalName().equals(o.name())) {
        renamed.computeIfAbsent(o.kind() + '\u0000' + m.originalName(), x -> new ArrayList<>()).add(o);
      }
      objects.add(o);
    }
    if (renamed.isEmpty()) {
      return objects;
    }
    List<KubeObject> out = new ArrayList<>();
    for (KubeObject o : objects) {
      out.add(KustomizeFields.rewrite(o, (path, parent, value) -> {
        Optional<String> kind = KustomizeFields.referredKind(path, parent);
        if (kind.isEmpty()) {
          return Optional.empty();
        }
        String namespace = path.get(0).equals("subjects") && parent.get("namespace").isPresent()
            ? parent.get("namespace").textOr("") : o.namespace();
        return renamed.getOrDefault(kind.get() + '\u0000' + value.value(), List.of()).stream()
            .filter(r -> ClusterScopedKinds.contains(r.kind()) || r.namespace().equals(namespace))
            .map(KubeObject::name).findFirst();
      }));
    }
    return out;
  }

  private Optional<MapNode> readKustomization(Path file) {
    List<Node> documents = readDocuments(file);
    if (documents.size() != 1 || !(documents.get(0) instanceof MapNode map)) {
      errors.add(Diagnostic.ofFile(file.toString(), "a kustomization is one YAML map; this is not"));
      return Optional.empty();
    }
    return Optional.of(map);
  }

  /** The YAML documents of {@code file}; its problems are errors. */
  private List<Node> readDocuments(Path file) {
    List<Node> documents = new ArrayList<>();
    try (InputStream in = InputFile.open(file)) {
      yaml.read(in, StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
        @Override
        public void document(int index, Node root) {
          documents.add(root);
        }

        @Override
        public void error(int line, int column, String message) {
          errors.add(new Diagnostic(file.toString(), line, column, message));
        }
      });
    } catch (IOException e) {
      errors.add(Diagnostic.ofFile(file.toString(), "cannot read: " + e.getMessage()));
    }
    documents.removeIf(Node::isNull);
    return documents;
  }

  /**
   * Applies the patches of the file {@code path} names, or of the inline text {@code inline}
   * (an entry at {@code item}), to the objects {@code target} selects, or, without a target, to
   * the object each strategic-merge patch names.
   */
  private List<KubeObject> patch(Path dir, String kustomization, Node item, Node path, Node inline, Node target,
      List<KubeObject> objects) {
    String file;
    List<Node> documents;
    if (inline.isPresent()) {
      file = kustomization;
      documents = inlineDocuments(kustomization, inline);
    } else {
      Optional<String> ref = path.text();
      Path patchFile = dir.resolve(ref.orElse("")).normalize();
      if (ref.isEmpty() || !Files.isRegularFile(patchFile)) {
        errors.add(new Diagnostic(kustomization, item.line(), item.column(), ref.isEmpty()
            ? "a patch needs a `path` or a `patch`" : "patch `" + ref.get() + "`: no such file"));
        return objects;
      }
      file = patchFile.toString();
      documents = readDocuments(patchFile);
    }
    for (String key : List.of("labelSelector", "annotationSelector")) {
      if (target.get(key).isPresent()) {
        errors.add(new Diagnostic(kustomization, target.get(key).line(), target.get(key).column(),
            "a patch target's `" + key + "` is not supported by kapas yet; the patch is not applied"));
        return objects;
      }
    }
    List<KubeObject> out = objects;
    for (Node patch : documents) {
      if (patch instanceof ListNode operations) {
        out = jsonPatch(file, item, operations, target, out);
        continue;
      }
      if (!(patch instanceof MapNode map)) {
        errors.add(new Diagnostic(file, patch.line(), patch.column(), "a patch is a map or a list; this is not"));
        continue;
      }
      Node selector = target.isPresent() ? target : map;
      boolean matched = false;
      List<KubeObject> next = new ArrayList<>();
      for (KubeObject o : out) {
        if (selects(selector, target.isPresent(), o, originalName(o))) {
          matched = true;
          Map<Node, String> writtenIn = new IdentityHashMap<>();
          Node merged = StrategicMerge.merge(o.root(), target.isPresent() ? withoutIdentity(map) : map, file,
              writtenIn);
          o = merged instanceof MapNode m ? o.withRoot(m, writtenIn) : o;
        }
        next.add(o);
      }
      if (!matched) {
        errors.add(new Diagnostic(file, map.line(), map.column(),
            "this patch matches no resource of the kustomization (kustomize refuses it)"));
      }
      out = next;
    }
    return out;
  }

  /**
   * The YAML documents of an inline patch, at their lines in the kustomization: a block scalar
   * ({@code patch: |}) starts on the line after its indicator.
   */
  private List<Node> inlineDocuments(String kustomization, Node inline) {
    String text = inline.textOr("");
    int shift = inline.line() - 1;
    try {
      List<String> lines = Files.readAllLines(Path.of(kustomization), StandardCharsets.UTF_8);
      if (inline.line() >= 1 && inline.line() <= lines.size()
          && BLOCK_SCALAR.matcher(lines.get(inline.line() - 1)).matches()) {
        shift = inline.line();
      }
    } catch (IOException | UncheckedIOException e) {
      // positions stay approximate: the patch is applied all the same
    }
    int lines = shift;
    List<Node> documents = new ArrayList<>();
    yaml.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8,
        new YamlTreeReader.Sink() {
          @Override
          public void document(int index, Node root) {
            documents.add(Trees.shift(root, lines));
          }

          @Override
          public void error(int line, int column, String message) {
            errors.add(new Diagnostic(kustomization, line + lines, column, message));
          }
        });
    documents.removeIf(Node::isNull);
    return documents;
  }

  /** A JSON 6902 patch applied to the objects {@code target} selects. */
  private List<KubeObject> jsonPatch(String file, Node item, ListNode operations, Node target, List<KubeObject> objects) {
    if (target.isMissing()) {
      errors.add(new Diagnostic(file, operations.line(), operations.column(),
          "a JSON 6902 patch needs a `target` in the kustomization (at line " + item.line() + ")"));
      return objects;
    }
    List<KubeObject> out = new ArrayList<>();
    boolean matched = false;
    for (KubeObject o : objects) {
      if (selects(target, true, o, originalName(o))) {
        matched = true;
        Map<Node, String> writtenIn = new IdentityHashMap<>();
        try {
          Node patched = Json6902.apply(o.root(), operations, file, writtenIn);
          if (patched instanceof MapNode m) {
            o = o.withRoot(m, writtenIn);
          }
        } catch (Json6902.Failure e) {
          errors.add(new Diagnostic(file, e.at.line(), e.at.column(), "cannot apply this operation to "
              + o.ref().display() + ": " + e.getMessage() + " (kustomize refuses it)"));
        }
      }
      out.add(o);
    }
    if (!matched) {
      errors.add(new Diagnostic(file, operations.line(), operations.column(),
          "this patch's target matches no resource of the kustomization (kustomize refuses it)"));
    }
    return out;
  }

  /** A patch that names its targets in {@code target}: its own kind and name are placeholders, not merged. */
  private static MapNode withoutIdentity(MapNode patch) {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (MapNode.Entry e : patch.entries()) {
      if (e.key().equals("metadata") && e.value() instanceof MapNode metadata) {
        List<String> metaKeys = new ArrayList<>(metadata.keys());
        List<Node> metaValues = new ArrayList<>();
        metadata.entries().forEach(m -> metaValues.add(m.value()));
        int i;
        while ((i = metaKeys.indexOf("name")) >= 0 || (i = metaKeys.indexOf("namespace")) >= 0) {
          metaKeys.remove(i);
          metaValues.remove(i);
        }
        keys.add(e.key());
        values.add(new MapNode(metaKeys, metaValues, metadata.line(), metadata.column()));
      } else if (!e.key().equals("apiVersion") && !e.key().equals("kind")) {
        keys.add(e.key());
        values.add(e.value());
      }
    }
    return new MapNode(keys, values, patch.line(), patch.column());
  }

  /**
   * Whether a patch's target (or, {@code isTarget} false, the patch itself: its apiVersion, kind,
   * name and namespace) selects {@code o}, by its name or the name it was read with ({@code
   * originalName}). A target's name is a regular expression, as in kustomize.
   */
  private static boolean selects(Node selector, boolean isTarget, KubeObject o, String originalName) {
    String kind = selector.get("kind").textOr("");
    String name = isTarget ? selector.get("name").textOr("") : selector.path("metadata", "name").textOr("");
    String namespace = isTarget ? selector.get("namespace").textOr("") : selector.path("metadata", "namespace").textOr("");
    String group = o.apiVersion().contains("/") ? o.apiVersion().substring(0, o.apiVersion().indexOf('/')) : "";
    String version = o.apiVersion().substring(o.apiVersion().indexOf('/') + 1);
    if (isTarget) {
      if (selector.get("group").isPresent() && !selector.get("group").textOr("").equals(group)
          || selector.get("version").isPresent() && !selector.get("version").textOr("").equals(version)) {
        return false;
      }
    } else {
      String patchVersion = selector.get("apiVersion").textOr("");
      String patchGroup = patchVersion.contains("/") ? patchVersion.substring(0, patchVersion.indexOf('/')) : "";
      if (!patchVersion.isEmpty() && !patchGroup.equals(group)) {
        return false;
      }
    }
    return (kind.isEmpty() || kind.equals(o.kind()))
        && (name.isEmpty() || (isTarget ? o.name().matches(name) || originalName.matches(name)
            : o.name().equals(name) || originalName.equals(name)))
        && (namespace.isEmpty() || o.namespace().isEmpty() || namespace.equals(o.namespace()));
  }

  /** The objects of one {@code resources} entry. */
  private List<KubeObject> resource(Path dir, String kustomization, Node item) {
    Optional<String> entry = item.text();
    if (entry.isEmpty()) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "a resource is a path; this is not"));
      return List.of();
    }
    String ref = entry.get();
    if (ref.contains("://") || ref.startsWith("github.com/") || ref.startsWith("git@")) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "remote resource `" + ref
          + "` is not fetched (kapas never goes to the network); vendor it and name the local copy"));
      return List.of();
    }
    Path path = dir.resolve(ref).normalize();
    if (Files.isDirectory(path)) {
      if (fileOf(path).isEmpty()) {
        errors.add(new Diagnostic(kustomization, item.line(), item.column(), "resource `" + ref
            + "` is a directory without a kustomization.yaml"));
        return List.of();
      }
      if (building.contains(path.toAbsolutePath().normalize())) {
        errors.add(new Diagnostic(kustomization, item.line(), item.column(), "resource `" + ref
            + "` is a kustomization that includes this one: a cycle"));
        return List.of();
      }
      bases.add(path.toAbsolutePath().normalize());
      return buildDir(path);
    }
    if (!Files.isRegularFile(path)) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), "resource `" + ref
          + "`: no such file or directory"));
      return List.of();
    }
    ManifestSource.Result r = readFile.apply(path.toString());
    errors.addAll(r.errors());
    notes.addAll(r.notes());
    return r.objects();
  }

  private static String orDefault(String namespace) {
    return namespace.isEmpty() ? "default" : namespace;
  }

  /**
   * kustomize's namespace transformer on a binding: a ServiceAccount subject naming a
   * ServiceAccount of the build (in the namespace the subject names, {@code default} when none)
   * moves with it to the kustomization's {@code namespace} ({@code at}).
   */
  private static KubeObject withSubjectsMoved(KubeObject o, Set<String> accounts, Node at, String kustomization) {
    if (!o.kind().equals("RoleBinding") && !o.kind().equals("ClusterRoleBinding")
        || !(o.root().get("subjects") instanceof ListNode subjects)) {
      return o;
    }
    List<Node> items = new ArrayList<>();
    boolean changed = false;
    for (Node subject : subjects.items()) {
      if (subject.get("kind").textOr("").equals("ServiceAccount") && !subject.get("namespace").textOr("").equals(at.textOr(""))
          && accounts.contains(orDefault(subject.get("namespace").textOr("")) + '/' + subject.get("name").textOr(""))) {
        subject = Trees.set(subject, "namespace", at, subject.line(), subject.column());
        changed = true;
      }
      items.add(subject);
    }
    if (!changed) {
      return o;
    }
    ListNode moved = new ListNode(items, subjects.line(), subjects.column());
    return o.withRoot(Trees.set(o.root(), "subjects", moved, o.root().line(), o.root().column()), Map.of(at, kustomization));
  }

  /** kustomize's namespace transformer: every namespaced object moves to {@code namespace}. */
  private static KubeObject withNamespace(KubeObject o, String namespace) {
    if (ClusterScopedKinds.contains(o.kind())) {
      return o;
    }
    MapNode root = o.root();
    Node metadata = root.get("metadata");
    int line = metadata.isPresent() ? metadata.line() : root.line();
    int column = metadata.isPresent() ? metadata.column() : root.column();
    Node set = Trees.set(metadata, "namespace", new ScalarNode(namespace, false, line, column), line, column);
    return o.withRoot(Trees.set(root, "metadata", set, root.line(), root.column()), Map.of());
  }

  /** kustomize's image transformer: one {@code images} entry applied to every container of {@code o}. */
  private static KubeObject image(KubeObject o, Node image) {
    String name = image.get("name").textOr("");
    if (name.isEmpty()) {
      return o;
    }
    return KustomizeFields.rewrite(o, (path, parent, value) -> {
      int n = path.size();
      boolean container = n >= 3 && path.get(n - 1).equals("image") && path.get(n - 2).equals("*")
          && (path.get(n - 3).equals("containers") || path.get(n - 3).equals("initContainers"));
      return container ? rewriteImage(value.value(), name, image) : Optional.empty();
    });
  }

  /** {@code ref} with the entry's newName, newTag or digest, when its name is the entry's. */
  static Optional<String> rewriteImage(String ref, String name, Node image) {
    int at = ref.indexOf('@');
    String withoutDigest = at < 0 ? ref : ref.substring(0, at);
    int colon = withoutDigest.lastIndexOf(':');
    boolean hasTag = colon > withoutDigest.lastIndexOf('/');
    String repository = hasTag ? withoutDigest.substring(0, colon) : withoutDigest;
    if (!repository.equals(name)) {
      return Optional.empty();
    }
    String suffix = at >= 0 ? ref.substring(at) : hasTag ? withoutDigest.substring(colon) : "";
    Optional<String> digest = image.get("digest").text();
    Optional<String> tag = image.get("newTag").text();
    if (tag.isPresent() || digest.isPresent()) {
      suffix = tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
    return Optional.of(image.get("newName").textOr(repository) + suffix);
  }

  /** Copies of trees with one key set, every other node (and its position) shared. */
  static final class Trees {
    private Trees() {}

    /** A copy of {@code node} {@code lines} lines further down. */
    static Node shift(Node node, int lines) {
      if (node instanceof MapNode map) {
        List<Node> values = new ArrayList<>();
        map.entries().forEach(e -> values.add(shift(e.value(), lines)));
        return new MapNode(map.keys(), values, map.line() + lines, map.column());
      }
      if (node instanceof ListNode list) {
        return new ListNode(list.items().stream().map(n -> shift(n, lines)).toList(), list.line() + lines,
            list.column());
      }
      if (node instanceof ScalarNode scalar) {
        return new ScalarNode(scalar.value(), scalar.plain(), scalar.line() + lines, scalar.column());
      }
      return node;
    }

    /** {@code map} (a map or missing) with {@code key} set to {@code value}, appended when new. */
    static MapNode set(Node map, String key, Node value, int line, int column) {
      List<String> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      boolean found = false;
      if (map instanceof MapNode m) {
        for (MapNode.Entry e : m.entries()) {
          keys.add(e.key());
          boolean here = e.key().equals(key);
          values.add(here ? value : e.value());
          found |= here;
        }
      }
      if (!found) {
        keys.add(key);
        values.add(value);
      }
      return new MapNode(keys, values, line, column);
    }
  }
}

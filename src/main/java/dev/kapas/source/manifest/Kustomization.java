package dev.kapas.source.manifest;

import dev.kapas.model.ClusterScopedKinds;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Missing;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a Kustomize directory (one with a {@code kustomization.yaml}) in-process, as
 * {@code kubectl kustomize} does, for the part of Kustomize supported so far: {@code resources}
 * (files, and directories that are kustomizations themselves: bases, recursively),
 * {@code patchesStrategicMerge}, {@code patches} and {@code patchesJson6902} from files (strategic
 * merge or JSON 6902, with targets by group, version, kind, name and namespace), {@code namespace}
 * and {@code images}. Every object keeps the file and line of the resource it came from, and a
 * field a patch set points at the patch. A field not supported yet, a remote base or a cycle is
 * an input error at its line in the kustomization file, never silence: the build would not be
 * what kubectl builds. The kustomization file and patches are never objects of their own.
 */
final class Kustomization {
  /** The names kustomize looks for, in its order. */
  static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "bases", "namespace",
      "images", "patchesStrategicMerge", "patches", "patchesJson6902");

  private final YamlTreeReader yaml;
  private final Function<String, ManifestSource.Result> readFile;
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> notes = new ArrayList<>();
  /** The kustomization directories built as another's resource (bases, overlays' bases). */
  private final Set<Path> bases = new HashSet<>();
  private final Deque<Path> building = new ArrayDeque<>();

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
    List<KubeObject> objects = buildDir(dir);
    return new ManifestSource.Result(objects, List.copyOf(errors), List.copyOf(notes));
  }

  /** The directories built as some kustomization's resource so far. */
  Set<Path> bases() {
    return bases;
  }

  private List<KubeObject> buildDir(Path dir) {
    Path file = fileOf(dir).orElseThrow();
    String name = file.toString();
    Optional<MapNode> read = readKustomization(file);
    if (read.isEmpty()) {
      return List.of();
    }
    MapNode k = read.get();
    building.push(dir.toAbsolutePath().normalize());
    try {
      for (MapNode.Entry e : k.entries()) {
        if (!SUPPORTED.contains(e.key())) {
          errors.add(new Diagnostic(name, e.value().line(), e.value().column(), "kustomize `" + e.key()
              + "` is not supported by kapas yet; the objects are scanned as built without it"));
        }
      }
      List<KubeObject> objects = new ArrayList<>();
      for (String key : List.of("resources", "bases")) {
        for (Node item : k.get(key).items()) {
          objects.addAll(resource(dir, name, item));
        }
      }
      for (Node item : k.get("patchesStrategicMerge").items()) {
        objects = patchFile(dir, name, item, item, Missing.INSTANCE, objects);
      }
      for (Node item : k.get("patches").items()) {
        Node path = item.get("path");
        if (item.get("patch").isPresent() || path.isMissing()) {
          errors.add(new Diagnostic(name, item.line(), item.column(),
              "inline patches (`patch:`) are not supported by kapas yet; put the patch in a file and name it with `path:`"));
          continue;
        }
        objects = patchFile(dir, name, item, path, item.get("target"), objects);
      }
      for (Node item : k.get("patchesJson6902").items()) {
        objects = patchFile(dir, name, item, item.get("path"), item.get("target"), objects);
      }
      Optional<String> namespace = k.get("namespace").text();
      if (namespace.isPresent()) {
        objects = objects.stream().map(o -> withNamespace(o, namespace.get())).toList();
      }
      for (Node image : k.get("images").items()) {
        objects = objects.stream().map(o -> Images.apply(o, image)).toList();
      }
      return objects;
    } finally {
      building.pop();
    }
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
   * Applies the strategic-merge patches of the file {@code path} names (an entry at {@code item})
   * to the objects {@code target} selects, or, without a target, to the object each patch names.
   */
  private List<KubeObject> patchFile(Path dir, String kustomization, Node item, Node path, Node target,
      List<KubeObject> objects) {
    Optional<String> ref = path.text();
    Path file = dir.resolve(ref.orElse("")).normalize();
    if (ref.isEmpty() || ref.get().contains("\n") || !Files.isRegularFile(file)) {
      errors.add(new Diagnostic(kustomization, item.line(), item.column(), ref.isPresent() && ref.get().contains("\n")
          ? "inline patches are not supported by kapas yet; put the patch in a file"
          : "patch `" + ref.orElse("") + "`: no such file"));
      return objects;
    }
    for (String key : List.of("labelSelector", "annotationSelector")) {
      if (target.get(key).isPresent()) {
        errors.add(new Diagnostic(kustomization, target.get(key).line(), target.get(key).column(),
            "a patch target's `" + key + "` is not supported by kapas yet; the patch is not applied"));
        return objects;
      }
    }
    List<KubeObject> out = objects;
    for (Node patch : readDocuments(file)) {
      if (patch instanceof ListNode operations) {
        out = jsonPatch(file, item, operations, target, out);
        continue;
      }
      if (!(patch instanceof MapNode map)) {
        errors.add(new Diagnostic(file.toString(), patch.line(), patch.column(), "a patch is a map or a list; this is not"));
        continue;
      }
      Node selector = target.isPresent() ? target : map;
      boolean matched = false;
      List<KubeObject> next = new ArrayList<>();
      for (KubeObject o : out) {
        if (selects(selector, target.isPresent(), o)) {
          matched = true;
          Map<Node, String> writtenIn = new IdentityHashMap<>();
          Node merged = StrategicMerge.merge(o.root(), target.isPresent() ? withoutIdentity(map) : map, file.toString(),
              writtenIn);
          o = merged instanceof MapNode m ? o.withRoot(m, writtenIn) : o;
        }
        next.add(o);
      }
      if (!matched) {
        errors.add(new Diagnostic(file.toString(), map.line(), map.column(),
            "this patch matches no resource of the kustomization (kustomize refuses it)"));
      }
      out = next;
    }
    return out;
  }

  /** A JSON 6902 patch applied to the objects {@code target} selects. */
  private List<KubeObject> jsonPatch(Path file, Node item, ListNode operations, Node target, List<KubeObject> objects) {
    if (target.isMissing()) {
      errors.add(new Diagnostic(file.toString(), operations.line(), operations.column(),
          "a JSON 6902 patch needs a `target` in the kustomization (at line " + item.line() + ")"));
      return objects;
    }
    List<KubeObject> out = new ArrayList<>();
    boolean matched = false;
    for (KubeObject o : objects) {
      if (selects(target, true, o)) {
        matched = true;
        Map<Node, String> writtenIn = new IdentityHashMap<>();
        try {
          Node patched = Json6902.apply(o.root(), operations, file.toString(), writtenIn);
          if (patched instanceof MapNode m) {
            o = o.withRoot(m, writtenIn);
          }
        } catch (Json6902.Failure e) {
          errors.add(new Diagnostic(file.toString(), e.at.line(), e.at.column(), "cannot apply this operation to "
              + o.ref().display() + ": " + e.getMessage() + " (kustomize refuses it)"));
        }
      }
      out.add(o);
    }
    if (!matched) {
      errors.add(new Diagnostic(file.toString(), operations.line(), operations.column(),
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
   * name and namespace) selects {@code o}. A target's name is a regular expression, as in kustomize.
   */
  private static boolean selects(Node selector, boolean isTarget, KubeObject o) {
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
        && (name.isEmpty() || (isTarget ? o.name().matches(name) : o.name().equals(name)))
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

  /** kustomize's image transformer: one {@code images} entry applied to every container of every object. */
  private static final class Images {
    private final KubeObject object;
    private final String name;
    private final Node image;
    /** New nodes standing for nodes a patch wrote: they keep the patch's file. */
    private final Map<Node, String> carried = new IdentityHashMap<>();

    private Images(KubeObject object, String name, Node image) {
      this.object = object;
      this.name = name;
      this.image = image;
    }

    static KubeObject apply(KubeObject o, Node image) {
      String name = image.get("name").textOr("");
      if (name.isEmpty()) {
        return o;
      }
      Images images = new Images(o, name, image);
      Node replaced = images.replace(o.root());
      return replaced == o.root() ? o : o.withRoot((MapNode) replaced, images.carried);
    }

    private Node replacing(Node old, Node replacement) {
      object.writtenIn(old).ifPresent(file -> carried.put(replacement, file));
      return replacement;
    }

    /** Every {@code image:} under a {@code containers} or {@code initContainers} list, rewritten. */
    private Node replace(Node node) {
      if (node instanceof ListNode list) {
        List<Node> items = new ArrayList<>();
        boolean changed = false;
        for (Node item : list.items()) {
          Node n = replace(item);
          changed |= n != item;
          items.add(n);
        }
        return changed ? replacing(list, new ListNode(items, list.line(), list.column())) : list;
      }
      if (!(node instanceof MapNode map)) {
        return node;
      }
      Node result = map;
      for (MapNode.Entry e : map.entries()) {
        Node value = e.value();
        Node n = (e.key().equals("containers") || e.key().equals("initContainers"))
            && value instanceof ListNode containers ? containers(containers) : replace(value);
        if (n != value) {
          result = Trees.set(result, e.key(), n, map.line(), map.column());
        }
      }
      return result == map ? map : replacing(map, result);
    }

    private Node containers(ListNode containers) {
      List<Node> items = new ArrayList<>();
      boolean changed = false;
      for (Node c : containers.items()) {
        Node ref = c.get("image");
        Optional<String> newRef = ref.text().flatMap(r -> rewrite(r, name, image));
        if (newRef.isPresent()) {
          Node newImage = replacing(ref, new ScalarNode(newRef.get(), false, ref.line(), ref.column()));
          c = replacing(c, Trees.set(c, "image", newImage, c.line(), c.column()));
          changed = true;
        }
        items.add(c);
      }
      return changed ? replacing(containers, new ListNode(items, containers.line(), containers.column())) : containers;
    }

    /** {@code ref} with the entry's newName, newTag or digest, when its name is the entry's. */
    static Optional<String> rewrite(String ref, String name, Node image) {
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
  }

  /** Copies of trees with one key set, every other node (and its position) shared. */
  static final class Trees {
    private Trees() {}

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

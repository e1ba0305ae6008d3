package dev.kapas.model;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Kubernetes object as read: its identity, its whole tree with positions, and its origin.
 * The namespace is empty when the manifest does not set one.
 */
public final class KubeObject implements Subject {
  private final ObjectRef ref;
  private final MapNode root;
  private final Origin origin;
  /**
   * Nodes (with all below them) written in another file than the object: what a Kustomize patch
   * set. Empty for almost every object.
   */
  private final Map<Node, String> writtenIn;
  /**
   * Values a Helm chart generated as it rendered ({@code randAlphaNum}, {@code genPrivateKey}):
   * a new one at every install, so not a value written in the chart. Empty for almost every object.
   */
  private final Set<Node> generated;

  public KubeObject(MapNode root, Origin origin) {
    this(root, origin, Map.of(), Set.of());
  }

  private KubeObject(MapNode root, Origin origin, Map<Node, String> writtenIn, Set<Node> generated) {
    this.root = root;
    this.origin = origin;
    this.writtenIn = writtenIn;
    this.generated = generated;
    this.ref = new ObjectRef(
        root.get("apiVersion").textOr(""),
        root.get("kind").textOr(""),
        root.path("metadata", "namespace").textOr(""),
        root.path("metadata", "name").text()
            .or(() -> root.path("metadata", "generateName").text())
            .orElse(""));
  }

  @Override
  public ObjectRef ref() {
    return ref;
  }

  public String apiVersion() {
    return ref.apiVersion();
  }

  public String kind() {
    return ref.kind();
  }

  public String namespace() {
    return ref.namespace();
  }

  public String name() {
    return ref.name();
  }

  public MapNode root() {
    return root;
  }

  /**
   * This object with another tree, same origin; {@code writtenIn} names the file of nodes of the
   * new tree written elsewhere (by identity), on top of those this object already knew.
   */
  public KubeObject withRoot(MapNode newRoot, Map<Node, String> moreWrittenIn) {
    if (moreWrittenIn.isEmpty()) {
      return new KubeObject(newRoot, origin, writtenIn, generated);
    }
    Map<Node, String> all = new IdentityHashMap<>(writtenIn);
    all.putAll(moreWrittenIn);
    return new KubeObject(newRoot, origin, all, generated);
  }

  /** This object with {@code nodes} of its tree (by identity) marked as generated at render time. */
  public KubeObject withGenerated(Set<Node> nodes) {
    if (nodes.isEmpty()) {
      return this;
    }
    Set<Node> all = Collections.newSetFromMap(new IdentityHashMap<>());
    all.addAll(generated);
    all.addAll(nodes);
    return new KubeObject(root, origin, writtenIn, all);
  }

  /** Whether a Helm chart generated this value as it rendered (see {@link #withGenerated}). */
  public boolean generated(Node node) {
    return !generated.isEmpty() && generated.contains(node);
  }

  /** The file {@code node} was written in, when not this object's (a patch's). */
  public Optional<String> writtenIn(Node node) {
    return Optional.ofNullable(writtenIn.get(node));
  }

  /** The file a field was written in: the object's, unless a patch from another file set it or a field above it. */
  public String fileOf(Field at) {
    if (writtenIn.isEmpty()) {
      return origin.file();
    }
    for (Field f = at; f != null; f = f.parent()) {
      String file = writtenIn.get(f.node());
      if (file != null) {
        return file;
      }
    }
    return origin.file();
  }

  @Override
  public Origin origin() {
    return origin;
  }

  @Override
  public String key() {
    return key(origin.file(), ref);
  }

  static String key(String file, ObjectRef ref) {
    return file + '\u0000' + ref.display();
  }

  public Node metadata() {
    return root.get("metadata");
  }

  public Map<String, String> labels() {
    return stringMap(metadata().get("labels"));
  }

  public Map<String, String> annotations() {
    return stringMap(metadata().get("annotations"));
  }

  /**
   * A map of string values (labels, annotations, data); a null value ({@code app:}) is "", as the
   * API server stores it; non-scalar values are left out.
   */
  public static Map<String, String> stringMap(Node node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.asMap().ifPresent(m -> m.entries().forEach(
        e -> (e.value().isNull() ? Optional.of("") : e.value().text()).ifPresent(v -> out.put(e.key(), v))));
    return out;
  }

  @Override
  public String toString() {
    return ref.display() + " (" + origin.file() + ":" + origin.line() + ")";
  }
}

package dev.kapas.inventory;

import dev.kapas.model.ClusterScopedKinds;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces a scan holds objects for, with their objects, pod-bearing objects and labels.
 * A namespaced object without {@code metadata.namespace} counts as {@code default}, where kubectl
 * would normally put it. A namespace is "in the scan" when some namespaced object lives in it;
 * a lone Namespace object does not put its namespace in the scan, but gives it labels.
 */
public final class Namespaces {
  public static final String DEFAULT = "default";
  /** The label the API server puts on every Namespace (since Kubernetes 1.21). */
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  /** What the scan holds for one namespace. */
  private static final class Entry {
    final List<KubeObject> objects = new ArrayList<>();
    final List<PodView> pods = new ArrayList<>();
  }

  private final Map<String, Entry> byName = new LinkedHashMap<>();
  private final Map<String, KubeObject> namespaceObjects = new HashMap<>();
  private final Map<KubeObject, PodView> podViews = new java.util.IdentityHashMap<>();

  public Namespaces(List<KubeObject> objects) {
    for (KubeObject o : objects) {
      if (o.kind().equals("Namespace") && o.apiVersion().equals("v1")) {
        namespaceObjects.putIfAbsent(o.name(), o);
      }
      Optional<String> ns = namespaceOf(o);
      if (ns.isEmpty()) {
        continue;
      }
      Entry entry = byName.computeIfAbsent(ns.get(), k -> new Entry());
      entry.objects.add(o);
      PodView.of(o).ifPresent(p -> {
        entry.pods.add(p);
        podViews.put(o, p);
      });
    }
  }

  /** Whether objects of this kind live outside namespaces (ClusterRole, Node, ...). */
  public static boolean isClusterScoped(String kind) {
    return ClusterScopedKinds.contains(kind);
  }

  /** The namespace {@code object} lives in ({@code default} when unset); empty for cluster-scoped kinds. */
  public static Optional<String> namespaceOf(KubeObject object) {
    if (isClusterScoped(object.kind())) {
      return Optional.empty();
    }
    return Optional.of(object.namespace().isEmpty() ? DEFAULT : object.namespace());
  }

  /** The namespaces holding at least one namespaced object, in the order first seen. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The namespaced objects of {@code namespace} (not its Namespace object). */
  public List<KubeObject> objects(String namespace) {
    Entry e = byName.get(namespace);
    return e == null ? List.of() : e.objects;
  }

  /** The pod-bearing objects of {@code namespace}, in input order. */
  public List<PodView> pods(String namespace) {
    Entry e = byName.get(namespace);
    return e == null ? List.of() : e.pods;
  }

  /** The pod view of a pod-bearing object, built once for all indexes. */
  public Optional<PodView> podView(KubeObject object) {
    return Optional.ofNullable(podViews.get(object));
  }

  /** Objects of {@code kind} in {@code namespace}. */
  public List<KubeObject> ofKind(String namespace, String kind) {
    return objects(namespace).stream().filter(o -> o.kind().equals(kind)).toList();
  }

  /** The Namespace object, when the scan read it. */
  public Optional<KubeObject> namespaceObject(String namespace) {
    return Optional.ofNullable(namespaceObjects.get(namespace));
  }

  /**
   * The namespace's labels, as namespace selectors see them: the Namespace object's (when the
   * scan read it) plus the automatic {@code kubernetes.io/metadata.name}.
   */
  public Map<String, String> labels(String namespace) {
    Map<String, String> labels = new LinkedHashMap<>();
    namespaceObject(namespace).ifPresent(o -> labels.putAll(o.labels()));
    labels.put(NAME_LABEL, namespace);
    return labels;
  }

  /**
   * The object a finding about the whole namespace points at: its Namespace object when the scan
   * read it, else its first pod-bearing object, else its first object.
   */
  public Optional<KubeObject> anchor(String namespace) {
    return namespaceObject(namespace)
        .or(() -> pods(namespace).stream().findFirst().map(PodView::object))
        .or(() -> objects(namespace).stream().findFirst());
  }
}

package dev.kapas.source.manifest;

import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * kustomize's field transformers over built objects: labels and annotations at kustomize's field
 * specs (metadata, pod templates, selectors), and scalars rewritten in place (image references,
 * names referring to renamed objects). A new node keeps the file it was written in: a label
 * added by a kustomization points at the kustomization's line; a node replaced on the way to a
 * field a patch wrote keeps the patch's file.
 */
final class KustomizeFields {
  private KustomizeFields() {}

  /** Which labels go where: object metadata always, pod templates and selectors when asked. */
  enum Scope { METADATA, TEMPLATE, SELECTOR }

  /** A field spec: for objects of {@code kind} (any, when null), the map at {@code path}, created if missing when {@code create}. */
  private record Spec(String kind, String path, boolean create, Scope scope) {}

  private static final List<Spec> LABELS = List.of(
      new Spec(null, "metadata/labels", true, Scope.METADATA),
      new Spec("Service", "spec/selector", true, Scope.SELECTOR),
      new Spec("ReplicationController", "spec/selector", true, Scope.SELECTOR),
      new Spec("ReplicationController", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("Deployment", "spec/selector/matchLabels", true, Scope.SELECTOR),
      new Spec("Deployment", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("Deployment", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("Deployment", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("Deployment", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("Deployment", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("Deployment", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("ReplicaSet", "spec/selector/matchLabels", true, Scope.SELECTOR),
      new Spec("ReplicaSet", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("DaemonSet", "spec/selector/matchLabels", true, Scope.SELECTOR),
      new Spec("DaemonSet", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("StatefulSet", "spec/selector/matchLabels", true, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("StatefulSet", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("StatefulSet", "spec/volumeClaimTemplates/metadata/labels", true, Scope.SELECTOR),
      new Spec("Job", "spec/selector/matchLabels", false, Scope.SELECTOR),
      new Spec("Job", "spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("CronJob", "spec/jobTemplate/spec/selector/matchLabels", false, Scope.SELECTOR),
      new Spec("CronJob", "spec/jobTemplate/metadata/labels", true, Scope.SELECTOR),
      new Spec("CronJob", "spec/jobTemplate/spec/template/metadata/labels", true, Scope.TEMPLATE),
      new Spec("PodDisruptionBudget", "spec/selector/matchLabels", false, Scope.SELECTOR),
      new Spec("NetworkPolicy", "spec/podSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", false, Scope.SELECTOR),
      new Spec("NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false, Scope.SELECTOR));

  private static final List<Spec> ANNOTATIONS = List.of(
      new Spec(null, "metadata/annotations", true, Scope.METADATA),
      new Spec("ReplicationController", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("Deployment", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("ReplicaSet", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("DaemonSet", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("StatefulSet", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("Job", "spec/template/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("CronJob", "spec/jobTemplate/metadata/annotations", true, Scope.TEMPLATE),
      new Spec("CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true, Scope.TEMPLATE));

  /** {@code o} with the {@code pairs} (a map in {@code file}) added as labels within {@code scopes}. */
  static KubeObject labels(KubeObject o, MapNode pairs, String file, Set<Scope> scopes) {
    return add(o, LABELS, pairs, file, scopes);
  }

  /** {@code o} with the {@code pairs} added as annotations, on pod templates too (kustomize's commonAnnotations). */
  static KubeObject annotations(KubeObject o, MapNode pairs, String file) {
    return add(o, ANNOTATIONS, pairs, file, Set.of(Scope.values()));
  }

  private static KubeObject add(KubeObject o, List<Spec> specs, MapNode pairs, String file, Set<Scope> scopes) {
    Map<Node, String> written = new IdentityHashMap<>();
    Node root = o.root();
    for (Spec s : specs) {
      if ((s.kind() == null || s.kind().equals(o.kind())) && scopes.contains(s.scope())) {
        root = addAt(root, s.path().split("/"), 0, s.create(), pairs, file, written);
      }
    }
    return root == o.root() ? o : o.withRoot((MapNode) root, written);
  }

  /** {@code node} with the pairs merged into the map at {@code path} from {@code depth}; lists on the way are walked item by item. */
  private static Node addAt(Node node, String[] path, int depth, boolean create, MapNode pairs, String file,
      Map<Node, String> written) {
    if (node instanceof ListNode list) {
      List<Node> items = new ArrayList<>();
      boolean changed = false;
      for (Node item : list.items()) {
        Node n = addAt(item, path, depth, create, pairs, file, written);
        changed |= n != item;
        items.add(n);
      }
      return changed ? new ListNode(items, list.line(), list.column()) : list;
    }
    if (depth == path.length) {
      Node map = node;
      for (MapNode.Entry e : pairs.entries()) {
        written.put(e.value(), file);
        map = Kustomization.Trees.set(map, e.key(), e.value(), map.isPresent() ? map.line() : pairs.line(),
            map.isPresent() ? map.column() : pairs.column());
      }
      return map;
    }
    if (!(node instanceof MapNode) && !(create && (node.isMissing() || node.isNull()))) {
      return node;
    }
    Node child = node.get(path[depth]);
    if ((child.isMissing() || child.isNull()) && !create) {
      return node;
    }
    Node n = addAt(child, path, depth + 1, create, pairs, file, written);
    if (n == child) {
      return node;
    }
    int line = node.isPresent() ? node.line() : pairs.line();
    int column = node.isPresent() ? node.column() : pairs.column();
    MapNode set = Kustomization.Trees.set(node, path[depth], n, line, column);
    if (!node.isPresent()) {
      written.put(set, file);
    }
    return set;
  }

  /** Decides a scalar's new text from where it is (keys, with {@code *} for list items) and its map; empty to keep it. */
  interface ScalarRule {
    Optional<String> replace(List<String> path, MapNode parent, ScalarNode value);
  }

  /** {@code o} with the scalars {@code rule} replaces rewritten; the nodes above each keep the file they were written in. */
  static KubeObject rewrite(KubeObject o, ScalarRule rule) {
    Rewriter r = new Rewriter(o, rule);
    Node replaced = r.walk(o.root(), new ArrayList<>(), null);
    return replaced == o.root() ? o : o.withRoot((MapNode) replaced, r.carried);
  }

  private static final class Rewriter {
    private final KubeObject object;
    private final ScalarRule rule;
    private final Map<Node, String> carried = new IdentityHashMap<>();

    Rewriter(KubeObject object, ScalarRule rule) {
      this.object = object;
      this.rule = rule;
    }

    private Node replacing(Node old, Node replacement) {
      object.writtenIn(old).ifPresent(file -> carried.put(replacement, file));
      return replacement;
    }

    Node walk(Node node, List<String> path, MapNode parent) {
      if (node instanceof ScalarNode scalar) {
        Optional<String> text = rule.replace(path, parent, scalar);
        return text.isEmpty() || text.get().equals(scalar.value()) ? node
            : replacing(node, new ScalarNode(text.get(), false, node.line(), node.column()));
      }
      if (node instanceof ListNode list) {
        List<Node> items = new ArrayList<>();
        boolean changed = false;
        path.add("*");
        for (Node item : list.items()) {
          Node n = walk(item, path, null);
          changed |= n != item;
          items.add(n);
        }
        path.remove(path.size() - 1);
        return changed ? replacing(list, new ListNode(items, list.line(), list.column())) : list;
      }
      if (!(node instanceof MapNode map)) {
        return node;
      }
      Node result = map;
      for (MapNode.Entry e : map.entries()) {
        path.add(e.key());
        Node n = walk(e.value(), path, map);
        path.remove(path.size() - 1);
        if (n != e.value()) {
          result = Kustomization.Trees.set(result, e.key(), n, map.line(), map.column());
        }
      }
      return result == map ? map : replacing(map, result);
    }
  }

  /** The kind a name at {@code path} (in a map {@code parent}) refers to, as kustomize's name references go; empty if none. */
  static Optional<String> referredKind(List<String> path, MapNode parent) {
    int n = path.size();
    String last = path.get(n - 1);
    String before = n > 1 ? path.get(n - 2) : "";
    String before2 = n > 2 ? path.get(n - 3) : "";
    if (last.equals("name")) {
      switch (before) {
        case "configMap", "configMapRef", "configMapKeyRef":
          return Optional.of("ConfigMap");
        case "secretRef", "secretKeyRef":
          return Optional.of("Secret");
        case "secret":
          return Optional.of("Secret");
        case "service":
          return before2.equals("backend") || before2.equals("defaultBackend") ? Optional.of("Service") : Optional.empty();
        case "roleRef":
          return Optional.of(parent.get("kind").textOr(""));
        case "*":
          if (before2.equals("imagePullSecrets")) {
            return Optional.of("Secret");
          }
          return before2.equals("subjects") && parent.get("kind").textOr("").equals("ServiceAccount")
              ? Optional.of("ServiceAccount") : Optional.empty();
        default:
          return Optional.empty();
      }
    }
    return switch (last) {
      case "secretName" -> before.equals("secret") || before.equals("*") && before2.equals("tls")
          ? Optional.of("Secret") : Optional.empty();
      case "serviceAccountName", "serviceAccount" -> before.equals("spec") ? Optional.of("ServiceAccount") : Optional.empty();
      case "claimName" -> before.equals("persistentVolumeClaim") ? Optional.of("PersistentVolumeClaim") : Optional.empty();
      case "serviceName" -> before.equals("spec") && n == 2 ? Optional.of("Service") : Optional.empty();
      default -> Optional.empty();
    };
  }
}

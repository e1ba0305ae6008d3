package dev.kapas.source.manifest;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strategic merge patch, as {@code kubectl} and kustomize apply one to the built-in kinds: maps
 * merge key by key, a null deletes, lists with a merge key (containers by name, ports by
 * containerPort, ...) merge item by item, other lists are replaced; {@code $patch: delete} and
 * {@code $patch: replace} are honoured. Every node the patch brings is recorded with the patch
 * file, so that findings about it point at the patch.
 */
final class StrategicMerge {
  private StrategicMerge() {}

  /** The merge key of the lists of the core API that merge item by item, by field name. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"), Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"), Map.entry("volumes", "name"), Map.entry("env", "name"),
      Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
      Map.entry("ports", "containerPort"), Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"),
      Map.entry("resourceClaims", "name"), Map.entry("topologySpreadConstraints", "topologyKey"));
  private static final String DIRECTIVE = "$patch";

  /** {@code base} with {@code patch} merged in; null when the patch deletes it. */
  static Node merge(Node base, Node patch, String file, Map<Node, String> writtenIn) {
    if (!(base instanceof MapNode b) || !(patch instanceof MapNode p)) {
      return fromPatch(patch, file, writtenIn);
    }
    String directive = p.get(DIRECTIVE).textOr("");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      return fromPatch(withoutDirectives(p), file, writtenIn);
    }
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (MapNode.Entry e : b.entries()) {
      Node change = p.get(e.key());
      Node value = change.isMissing() ? e.value()
          : change.isNull() ? null
          : mergeField(e.key(), e.value(), change, file, writtenIn);
      if (value != null) {
        keys.add(e.key());
        values.add(value);
      }
    }
    for (MapNode.Entry e : p.entries()) {
      if (!b.has(e.key()) && !e.key().startsWith("$") && !e.value().isNull()) {
        keys.add(e.key());
        values.add(fromPatch(e.value() instanceof MapNode m ? withoutDirectives(m) : e.value(), file, writtenIn));
      }
    }
    return new MapNode(keys, values, b.line(), b.column());
  }

  private static Node mergeField(String key, Node base, Node patch, String file, Map<Node, String> writtenIn) {
    String mergeKey = MERGE_KEYS.get(key);
    if (mergeKey != null && base instanceof ListNode b && patch instanceof ListNode p) {
      return mergeList(b, p, mergeKey, file, writtenIn);
    }
    Node merged = merge(base, patch, file, writtenIn);
    return merged == null ? null : merged;
  }

  /**
   * The patch's items first, in its order (each merged into the item of the same key, if any),
   * then the other items in their order: what kustomize v5.5 builds (checked with `kubectl
   * kustomize`; it prepends new items, kubernetes-sigs/kustomize#3048).
   */
  private static Node mergeList(ListNode base, ListNode patch, String mergeKey, String file,
      Map<Node, String> writtenIn) {
    List<Node> items = new ArrayList<>();
    List<Node> merged = new ArrayList<>();
    for (Node change : patch.items()) {
      Node same = base.items().stream()
          .filter(item -> change.get(mergeKey).isPresent()
              && item.get(mergeKey).textOr("").equals(change.get(mergeKey).textOr("")))
          .findFirst().orElse(null);
      if (same != null) {
        merged.add(same);
        Node result = merge(same, change, file, writtenIn);
        if (result != null) {
          items.add(result);
        }
      } else if (!change.get(DIRECTIVE).textOr("").equals("delete")) {
        items.add(fromPatch(change instanceof MapNode m ? withoutDirectives(m) : change, file, writtenIn));
      }
    }
    for (Node item : base.items()) {
      if (merged.stream().noneMatch(m -> m == item)) {
        items.add(item);
      }
    }
    return new ListNode(items, base.line(), base.column());
  }

  private static Node fromPatch(Node node, String file, Map<Node, String> writtenIn) {
    writtenIn.put(node, file);
    return node;
  }

  private static MapNode withoutDirectives(MapNode map) {
    if (map.keys().stream().noneMatch(k -> k.startsWith("$"))) {
      return map;
    }
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (MapNode.Entry e : map.entries()) {
      if (!e.key().startsWith("$")) {
        keys.add(e.key());
        values.add(e.value());
      }
    }
    return new MapNode(keys, values, map.line(), map.column());
  }
}

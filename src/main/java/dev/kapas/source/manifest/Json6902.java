package dev.kapas.source.manifest;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A JSON patch (RFC 6902) applied to a tree: add, remove, replace, move, copy and test, with
 * paths as JSON pointers (RFC 6901). Every value the patch brings is recorded with the patch
 * file, so that findings about it point at the patch.
 */
final class Json6902 {
  private Json6902() {}

  /** Why an operation cannot be applied, said at its line. */
  static final class Failure extends Exception {
    final Node at;

    Failure(Node at, String message) {
      super(message, null, false, false);
      this.at = at;
    }
  }

  static Node apply(Node root, ListNode operations, String file, Map<Node, String> writtenIn) throws Failure {
    Node out = root;
    for (Node op : operations.items()) {
      String kind = op.get("op").textOr("");
      List<String> path = pointer(op, "path");
      switch (kind) {
        case "add", "replace" -> {
          Node value = op.get("value");
          if (value.isMissing()) {
            throw new Failure(op, "`" + kind + "` without a value");
          }
          writtenIn.put(value, file);
          out = set(out, path, 0, value, kind.equals("add"), op);
        }
        case "remove" -> out = set(out, path, 0, null, false, op);
        case "move", "copy" -> {
          List<String> from = pointer(op, "from");
          Node value = get(out, from, op);
          if (kind.equals("move")) {
            out = set(out, from, 0, null, false, op);
          }
          out = set(out, path, 0, value, true, op);
        }
        case "test" -> get(out, path, op);
        default -> throw new Failure(op, "unknown JSON patch operation `" + kind + "`");
      }
    }
    return out;
  }

  private static List<String> pointer(Node op, String key) throws Failure {
    String text = op.get(key).textOr("");
    if (!text.startsWith("/")) {
      throw new Failure(op, "`" + key + "` is not a JSON pointer: `" + text + "`");
    }
    return Arrays.stream(text.substring(1).split("/", -1)).map(t -> t.replace("~1", "/").replace("~0", "~")).toList();
  }

  private static Node get(Node node, List<String> path, Node op) throws Failure {
    Node n = node;
    for (String token : path) {
      n = n instanceof ListNode ? n.get(index(token, n.size(), op)) : n.get(token);
    }
    if (n.isMissing()) {
      throw new Failure(op, "no value at `/" + String.join("/", path) + "`");
    }
    return n;
  }

  /** {@code node} with the value at {@code path} (from {@code depth}) set, inserted ({@code add}) or removed (null). */
  private static Node set(Node node, List<String> path, int depth, Node value, boolean add, Node op) throws Failure {
    if (depth == path.size()) {
      return value;
    }
    String token = path.get(depth);
    boolean last = depth == path.size() - 1;
    if (node instanceof MapNode map) {
      Node child = map.get(token);
      if (child.isMissing() && !(last && add && value != null)) {
        throw new Failure(op, "no `" + token + "` at `/" + String.join("/", path.subList(0, depth)) + "`");
      }
      Node replaced = last ? value : set(child, path, depth + 1, value, add, op);
      if (replaced == null) {
        List<String> keys = new ArrayList<>(map.keys());
        List<Node> values = new ArrayList<>();
        map.entries().forEach(e -> values.add(e.value()));
        int i = keys.indexOf(token);
        keys.remove(i);
        values.remove(i);
        return new MapNode(keys, values, map.line(), map.column());
      }
      return Kustomization.Trees.set(map, token, replaced, map.line(), map.column());
    }
    if (node instanceof ListNode list) {
      List<Node> items = new ArrayList<>(list.items());
      boolean append = token.equals("-") && last && add;
      int i = append ? items.size() : index(token, items.size() + (last && add ? 1 : 0), op);
      if (last && value == null) {
        items.remove(i);
      } else if (last && add) {
        items.add(i, value);
      } else if (last) {
        items.set(i, value);
      } else {
        items.set(i, set(items.get(i), path, depth + 1, value, add, op));
      }
      return new ListNode(items, list.line(), list.column());
    }
    throw new Failure(op, "`/" + String.join("/", path.subList(0, depth + 1)) + "` goes through a value that is not a map or a list");
  }

  private static int index(String token, int size, Node op) throws Failure {
    try {
      int i = Integer.parseInt(token);
      if (i >= 0 && i < size) {
        return i;
      }
    } catch (NumberFormatException e) {
      // not a number: said below
    }
    throw new Failure(op, "`" + token + "` is not an index of a list of " + size + (size == 1 ? " item" : " items"));
  }
}

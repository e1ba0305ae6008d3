package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes objects as CEL values: maps, lists, strings, ints, doubles, bools and null, as the API server decodes them. */
public final class CelValues {
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private CelValues() {}

  /**
   * {@code node} as a CEL value. Maps and lists are views that convert a field only when an
   * expression reads it: a rule usually looks at a few fields of a large object.
   */
  public static Object of(Node node) {
    return of(node, false);
  }

  /**
   * {@code node} converted whole, up front: a value any number of threads may read at once (the
   * views of {@link #of} remember what they converted, for one thread).
   */
  public static Object frozen(Node node) {
    return of(node, true);
  }

  private static Object of(Node node, boolean eager) {
    if (node instanceof MapNode map) {
      return new NodeMap(map, eager);
    }
    if (node instanceof ListNode list) {
      return new NodeList(list, eager);
    }
    return node instanceof ScalarNode scalar ? scalar(scalar) : NullValue.NULL_VALUE;
  }

  /** A list whose elements are converted when first read, once (each rule reading the object reuses them). */
  private static final class NodeList extends AbstractList<Object> {
    private final ListNode list;
    private final Object[] converted;

    NodeList(ListNode list, boolean eager) {
      this.list = list;
      this.converted = new Object[list.size()];
      if (eager) {
        for (int i = 0; i < converted.length; i++) {
          converted[i] = of(list.get(i), true);
        }
      }
    }

    @Override
    public Object get(int index) {
      Object v = converted[index];
      if (v == null) {
        v = of(list.get(index), false);
        converted[index] = v;
      }
      return v;
    }

    @Override
    public int size() {
      return list.size();
    }
  }

  /**
   * An object's fields. A field whose name is no CEL identifier is reached by its escaped name
   * ({@code object.metadata.x__dash__y}), as in the API server. Without a schema kapas cannot
   * tell objects from string maps (labels, annotations), so an escaped name also reaches a map
   * key; the literal key always wins.
   */
  private static final class NodeMap extends AbstractMap<String, Object> {
    private final MapNode map;
    /** Fields converted so far, by their name in the object. */
    private final Map<String, Object> converted;

    NodeMap(MapNode map, boolean eager) {
      this.map = map;
      this.converted = new HashMap<>();
      if (eager) {
        map.entries().forEach(e -> converted.put(e.key(), of(e.value(), true)));
      }
    }

    private Object value(String name) {
      Object v = converted.get(name);
      if (v == null) {
        v = of(map.get(name), false);
        converted.put(name, v);
      }
      return v;
    }

    private Optional<String> field(Object key) {
      if (!(key instanceof String name)) {
        return Optional.empty();
      }
      if (map.has(name)) {
        return Optional.of(name);
      }
      return name.contains("__") ? Escaping.unescape(name).filter(map::has) : Optional.empty();
    }

    @Override
    public Object get(Object key) {
      if (key instanceof String name && map.has(name)) {
        return value(name);
      }
      return field(key).map(this::value).orElse(null);
    }

    @Override
    public boolean containsKey(Object key) {
      return field(key).isPresent();
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public Set<String> keySet() {
      return new LinkedHashSet<>(map.keys());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      // a set over the fields, whose entries need no hashing: a value's hash would walk its whole tree
      List<String> keys = map.keys();
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          Iterator<String> names = keys.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return names.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              String name = names.next();
              return new SimpleImmutableEntry<>(name, value(name));
            }
          };
        }

        @Override
        public int size() {
          return keys.size();
        }
      };
    }
  }

  private static Object scalar(ScalarNode s) {
    if (!s.plain()) {
      return s.value();
    }
    if (s.isNull()) {
      return NullValue.NULL_VALUE;
    }
    String v = s.value();
    if (v.equals("true") || v.equals("True") || v.equals("TRUE")) {
      return true;
    }
    if (v.equals("false") || v.equals("False") || v.equals("FALSE")) {
      return false;
    }
    char first = v.isEmpty() ? 'x' : v.charAt(0);
    if (!(first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.')) {
      return v; // most scalars are names, images and paths: no need for the number patterns
    }
    if (INT.matcher(v).matches()) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return Double.parseDouble(v);
      }
    }
    if (FLOAT.matcher(v).matches()) {
      return Double.parseDouble(v);
    }
    return v;
  }

  /** Plain Java values (from JSON or a config file) as CEL values. */
  public static Object ofPlain(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), ofPlain(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(CelValues::ofPlain).toList();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    return value instanceof Float f ? f.doubleValue() : value;
  }
}

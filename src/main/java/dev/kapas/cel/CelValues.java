package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes objects as CEL values: maps, lists, strings, ints, doubles, bools and null, as the API server decodes them. */
public final class CelValues {

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
    /** Fields converted so far, at their position in the object. */
    private final Object[] converted;

    NodeMap(MapNode map, boolean eager) {
      this.map = map;
      this.converted = new Object[map.size()];
      if (eager) {
        for (int i = 0; i < converted.length; i++) {
          converted[i] = of(map.valueAt(i), true);
        }
      }
    }

    private Object value(int index) {
      Object v = converted[index];
      if (v == null) {
        v = of(map.valueAt(index), false);
        converted[index] = v;
      }
      return v;
    }

    /** Where the field {@code key} names is, by its name or else its escaped name; -1 if none. */
    private int field(Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      int at = map.indexOf(name);
      if (at >= 0 && map.valueAt(at).isPresent()) {
        return at;
      }
      if (!name.contains("__")) {
        return -1;
      }
      Optional<String> unescaped = Escaping.unescape(name).filter(map::has);
      return unescaped.isPresent() ? map.indexOf(unescaped.get()) : -1;
    }

    @Override
    public Object get(Object key) {
      int at = field(key);
      return at < 0 ? null : value(at);
    }

    @Override
    public boolean containsKey(Object key) {
      return field(key) >= 0;
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
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < keys.size();
            }

            @Override
            public Entry<String, Object> next() {
              if (next >= keys.size()) {
                throw new java.util.NoSuchElementException();
              }
              int at = next++;
              return new SimpleImmutableEntry<>(keys.get(at), value(at));
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
    if (isInt(v)) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return Double.parseDouble(v);
      }
    }
    if (isFloat(v)) {
      return Double.parseDouble(v);
    }
    return v;
  }

  /** {@code [-+]?(0|[1-9][0-9]*)}, without a regular expression: scalars such as {@code 512Mi} are read for every rule. */
  static boolean isInt(String v) {
    int i = sign(v, 0);
    if (i == v.length()) {
      return false;
    }
    if (v.charAt(i) == '0') {
      return i + 1 == v.length();
    }
    return digits(v, i) == v.length() - i;
  }

  /** {@code [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?}, without a regular expression. */
  static boolean isFloat(String v) {
    int i = sign(v, 0);
    int whole = digits(v, i);
    i += whole;
    int fraction = 0;
    if (i < v.length() && v.charAt(i) == '.') {
      i++;
      fraction = digits(v, i);
      i += fraction;
    }
    if (whole == 0 && fraction == 0) {
      return false;
    }
    if (i < v.length() && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i = sign(v, i + 1);
      int exponent = digits(v, i);
      if (exponent == 0) {
        return false;
      }
      i += exponent;
    }
    return i == v.length();
  }

  private static int sign(String v, int at) {
    return at < v.length() && (v.charAt(at) == '-' || v.charAt(at) == '+') ? at + 1 : at;
  }

  /** How many ASCII digits there are from {@code at} on. */
  private static int digits(String v, int at) {
    int i = at;
    while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
      i++;
    }
    return i - at;
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

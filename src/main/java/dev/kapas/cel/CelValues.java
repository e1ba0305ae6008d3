package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes objects as CEL values: maps, lists, strings, ints, doubles, bools and null, as the API server decodes them. */
public final class CelValues {
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private CelValues() {}

  public static Object of(Node node) {
    if (node instanceof MapNode map) {
      FieldMap out = new FieldMap();
      map.entries().forEach(e -> out.put(e.key(), of(e.value())));
      return out;
    }
    if (node instanceof ListNode list) {
      List<Object> out = new ArrayList<>(list.size());
      list.items().forEach(i -> out.add(of(i)));
      return out;
    }
    return node instanceof ScalarNode scalar ? scalar(scalar) : NullValue.NULL_VALUE;
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

  /**
   * An object's fields: a field whose name is no CEL identifier is reached by its escaped name
   * ({@code object.metadata.x__dash__y}), as in the API server. Without a schema kapas cannot tell
   * objects from string maps (labels, annotations), so the escaped name also reaches a map key;
   * the literal key always wins.
   */
  static final class FieldMap extends LinkedHashMap<String, Object> {
    @Override
    public Object get(Object key) {
      Object direct = super.get(key);
      if (direct != null || !(key instanceof String name) || !name.contains("__")) {
        return direct;
      }
      return Escaping.unescape(name).map(super::get).orElse(null);
    }

    @Override
    public boolean containsKey(Object key) {
      return super.containsKey(key) || key instanceof String name && name.contains("__")
          && Escaping.unescape(name).map(super::containsKey).orElse(false);
    }
  }

  /** Plain Java values (from JSON or a config file) as CEL values. */
  public static Object ofPlain(Object value) {
    if (value instanceof Map<?, ?> m) {
      FieldMap out = new FieldMap();
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

package dev.kapas.source.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON documents of the image formats (manifests, indexes, configs, token answers) as
 * plain maps, lists, strings, numbers and booleans, with typed accessors that never fail: a
 * missing or mistyped field reads as empty, and the reader decides whether that is an error.
 */
final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

  private Json() {}

  /** The document's top-level object; {@code what} names it in the error. */
  static Map<String, Object> object(byte[] bytes, String what) throws ImageError {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      Object v = value(p, p.nextToken());
      if (p.nextToken() != null || !(v instanceof Map<?, ?>)) {
        throw new ImageError(what + " is not one JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return m;
    } catch (IOException e) {
      throw new ImageError(what + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new IOException("unexpected end of input");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
          l.add(value(p, i));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return "";
      default:
        throw new IOException("unexpected " + t);
    }
  }

  static String str(Map<String, Object> m, String key) {
    return m.get(key) instanceof String s ? s : "";
  }

  static long num(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : -1;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Map<String, Object> m, String key) {
    return m.get(key) instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
  }

  static List<Object> list(Map<String, Object> m, String key) {
    return m.get(key) instanceof List<?> l ? List.copyOf(l) : List.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list(m, key)) {
      if (o instanceof Map<?, ?> e) {
        out.add((Map<String, Object>) e);
      }
    }
    return out;
  }

  static List<String> strings(Map<String, Object> m, String key) {
    List<String> out = new ArrayList<>();
    for (Object o : list(m, key)) {
      if (o instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }
}

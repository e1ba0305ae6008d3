package dev.kapas.source.manifest;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * kustomize's {@code configMapGenerator} and {@code secretGenerator}: a ConfigMap or Secret from
 * {@code literals}, {@code files} and {@code envs}, whose origin is the generator's entry in the
 * kustomization. A value points at the line it came from: a literal's line in the kustomization,
 * an env file's line, a file's first line. The name suffix is kustomize's content hash.
 */
final class KustomizeGenerators {
  private KustomizeGenerators() {}

  /** A generated object, and whether its name is still to get the content-hash suffix. */
  record Generated(KubeObject object, String name, String behavior, boolean hash) {}

  /** Builds one generator entry {@code item} of {@code kind} in the kustomization {@code file} of {@code dir}; problems go to {@code errors}. */
  static Generated generate(String kind, Path dir, String file, Node item, Node globalOptions, List<Diagnostic> errors) {
    String name = item.get("name").textOr("");
    if (name.isEmpty()) {
      errors.add(new Diagnostic(file, item.line(), item.column(), "a generator needs a `name`"));
      return null;
    }
    boolean secret = kind.equals("Secret");
    Map<String, Node> data = new TreeMap<>();
    Map<Node, String> written = new IdentityHashMap<>();
    for (Node literal : item.get("literals").items()) {
      String text = literal.textOr("");
      int eq = text.indexOf('=');
      if (eq <= 0) {
        errors.add(new Diagnostic(file, literal.line(), literal.column(), "a literal is KEY=VALUE; this is not"));
        continue;
      }
      data.put(text.substring(0, eq), value(unquote(text.substring(eq + 1)), secret, literal.line(), literal.column()));
    }
    for (Node entry : item.get("files").items()) {
      String text = entry.textOr("");
      int eq = text.indexOf('=');
      String key = eq > 0 ? text.substring(0, eq) : Path.of(text).getFileName().toString();
      Path source = dir.resolve(eq > 0 ? text.substring(eq + 1) : text).normalize();
      try {
        byte[] bytes = Files.readAllBytes(source);
        String content;
        try {
          content = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException binary) {
          errors.add(new Diagnostic(file, entry.line(), entry.column(), "file `" + text
              + "` is not UTF-8 text; kapas does not generate binaryData yet"));
          continue;
        }
        Node v = value(content, secret, 1, 1);
        written.put(v, source.toString());
        data.put(key, v);
      } catch (IOException e) {
        errors.add(new Diagnostic(file, entry.line(), entry.column(), "file `" + text + "`: cannot read: "
            + e.getMessage()));
      }
    }
    List<Node> envs = new ArrayList<>(item.get("envs").items());
    if (item.get("env").isPresent()) {
      envs.add(item.get("env"));
    }
    for (Node entry : envs) {
      Path source = dir.resolve(entry.textOr("")).normalize();
      try {
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).stripLeading();
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
          int eq = line.indexOf('=');
          if (eq <= 0) {
            errors.add(new Diagnostic(source.toString(), i + 1, 1, "`" + (eq < 0 ? line : "") + "` has no `=VALUE`: "
                + "kustomize would take the value from its own environment, which kapas does not read"));
            continue;
          }
          Node v = value(line.substring(eq + 1), secret, i + 1, 1);
          written.put(v, source.toString());
          data.put(line.substring(0, eq), v);
        }
      } catch (IOException e) {
        errors.add(new Diagnostic(file, entry.line(), entry.column(), "env file `" + entry.textOr("")
            + "`: cannot read: " + e.getMessage()));
      }
    }
    int line = item.line();
    int column = item.column();
    List<String> keys = new ArrayList<>(List.of("apiVersion", "kind", "metadata"));
    List<Node> values = new ArrayList<>(List.of(text("v1", line, column), text(kind, line, column),
        metadata(item, name, line, column)));
    keys.add("data");
    values.add(new MapNode(new ArrayList<>(data.keySet()), new ArrayList<>(data.values()), line, column));
    if (secret) {
      keys.add("type");
      values.add(text(item.get("type").textOr("Opaque"), line, column));
    }
    Node options = item.get("options").isPresent() ? item.get("options") : globalOptions;
    if (options.get("immutable").isTrue()) {
      keys.add("immutable");
      values.add(new ScalarNode("true", true, line, column));
    }
    MapNode root = new MapNode(keys, values, line, column);
    KubeObject o = new KubeObject(root, new Origin(file, 0, line, column)).withRoot(root, written);
    o = withOptions(o, globalOptions, file);
    if (item.get("options").isPresent()) {
      o = withOptions(o, item.get("options"), file);
    }
    boolean hash = !(item.get("options").get("disableNameSuffixHash").isPresent()
        ? item.get("options").get("disableNameSuffixHash").isTrue()
        : globalOptions.get("disableNameSuffixHash").isTrue());
    return new Generated(o, name, item.get("behavior").textOr("create"), hash);
  }

  private static KubeObject withOptions(KubeObject o, Node options, String file) {
    if (options.get("labels") instanceof MapNode labels) {
      o = KustomizeFields.labels(o, labels, file, java.util.Set.of(KustomizeFields.Scope.METADATA));
    }
    if (options.get("annotations") instanceof MapNode annotations) {
      o = KustomizeFields.annotations(o, annotations, file);
    }
    return o;
  }

  private static MapNode metadata(Node item, String name, int line, int column) {
    List<String> keys = new ArrayList<>(List.of("name"));
    List<Node> values = new ArrayList<>(List.of(text(name, item.get("name").line(), item.get("name").column())));
    if (item.get("namespace").isPresent()) {
      keys.add("namespace");
      values.add(item.get("namespace"));
    }
    return new MapNode(keys, values, line, column);
  }

  private static Node value(String text, boolean secret, int line, int column) {
    return text(secret ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text, line, column);
  }

  private static ScalarNode text(String value, int line, int column) {
    return new ScalarNode(value, false, line, column);
  }

  /** A literal's value without the quotes around it, as kustomize reads {@code KEY="VALUE"}. */
  private static String unquote(String value) {
    if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /**
   * kustomize's content hash of a ConfigMap or Secret: the SHA-256 of the JSON of its kind, its
   * data (and a Secret's type), and an empty name (kustomize looks the name up by a path it never
   * finds, so it is always ""), the first ten hex digits with 0, 1, 3, a and e spelled g, h, k, m, t.
   */
  static String hash(KubeObject o) {
    Map<String, Object> m = new TreeMap<>();
    m.put("data", stringMap(o.root().get("data")));
    m.put("kind", o.kind());
    m.put("name", "");
    if (o.kind().equals("ConfigMap") && o.root().get("binaryData") instanceof MapNode) {
      m.put("binaryData", stringMap(o.root().get("binaryData")));
    }
    if (o.kind().equals("Secret")) {
      m.put("type", o.root().get("type").textOr(""));
      if (o.root().get("stringData") instanceof MapNode) {
        m.put("stringData", stringMap(o.root().get("stringData")));
      }
    }
    StringBuilder json = new StringBuilder();
    toJson(m, json);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        hex.append(String.format("%02x", digest[i] & 0xff));
      }
      StringBuilder out = new StringBuilder();
      for (char c : hex.toString().toCharArray()) {
        out.append(switch (c) {
          case '0' -> 'g';
          case '1' -> 'h';
          case '3' -> 'k';
          case 'a' -> 'm';
          case 'e' -> 't';
          default -> c;
        });
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object stringMap(Node node) {
    if (!(node instanceof MapNode map)) {
      return "";
    }
    Map<String, Object> out = new TreeMap<>();
    map.entries().forEach(e -> out.put(e.key(), e.value().textOr("")));
    return out;
  }

  /** JSON as Go's encoding/json writes it: keys sorted, and {@code <}, {@code >}, {@code &}, U+2028/9 escaped. */
  @SuppressWarnings("unchecked")
  private static void toJson(Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        out.append(first ? "" : ",");
        first = false;
        toJson(e.getKey(), out);
        out.append(':');
        toJson(e.getValue(), out);
      }
      out.append('}');
      return;
    }
    String s = (String) value;
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

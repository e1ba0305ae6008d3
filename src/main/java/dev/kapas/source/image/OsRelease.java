package dev.kapas.source.image;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distribution an image is built on, from its {@code os-release} file (empty fields when the
 * image has none, as scratch and most distroless-static images).
 *
 * @param id {@code ID}, such as {@code debian}, {@code ubuntu}, {@code alpine}
 * @param versionId {@code VERSION_ID}, such as {@code 12}, {@code 22.04}, {@code 3.19.1}
 * @param prettyName {@code PRETTY_NAME}
 */
public record OsRelease(String id, String versionId, String prettyName) {
  public static final OsRelease NONE = new OsRelease("", "", "");

  public boolean known() {
    return !id.isEmpty();
  }

  /** Reads the {@code KEY=value} lines of an os-release file (values may be quoted). */
  public static OsRelease parse(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      String v = line.substring(eq + 1).strip();
      if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
        v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
      }
      fields.putIfAbsent(line.substring(0, eq).strip(), v);
    }
    return new OsRelease(fields.getOrDefault("ID", "").toLowerCase(java.util.Locale.ROOT),
        fields.getOrDefault("VERSION_ID", ""), fields.getOrDefault("PRETTY_NAME", ""));
  }
}

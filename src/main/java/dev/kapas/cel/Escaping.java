package dev.kapas.cel;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API server's property-name escaping: a Kubernetes field name that is not a valid CEL
 * identifier is written escaped in an expression ({@code x-y} as {@code x__dash__y}), and a
 * reserved word as {@code __word__}. Map keys are never escaped.
 */
public final class Escaping {
  private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break",
      "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
      "namespace", "return", "var", "void", "while");
  private static final Pattern ESCAPABLE = Pattern.compile("[A-Za-z_.\\-/][A-Za-z0-9_.\\-/]*");
  private static final Pattern ESCAPED_TOKEN = Pattern.compile("__(underscores|dot|dash|slash)__");

  private Escaping() {}

  /** The identifier an expression uses for {@code name}, or empty when no identifier reaches it. */
  public static Optional<String> escape(String name) {
    if (RESERVED.contains(name)) {
      return Optional.of("__" + name + "__");
    }
    if (!ESCAPABLE.matcher(name).matches()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' && i + 1 < name.length() && name.charAt(i + 1) == '_') {
        out.append("__underscores__");
        i++;
      } else if (c == '.') {
        out.append("__dot__");
      } else if (c == '-') {
        out.append("__dash__");
      } else if (c == '/') {
        out.append("__slash__");
      } else {
        out.append(c);
      }
    }
    return Optional.of(out.toString());
  }

  /** The field name an escaped identifier stands for, or empty when it is malformed. */
  public static Optional<String> unescape(String escaped) {
    if (escaped.length() > 4 && escaped.startsWith("__") && escaped.endsWith("__")) {
      String inner = escaped.substring(2, escaped.length() - 2);
      if (RESERVED.contains(inner)) {
        return Optional.of(inner);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < escaped.length()) {
      var m = ESCAPED_TOKEN.matcher(escaped).region(i, escaped.length());
      if (escaped.startsWith("__", i)) {
        if (!m.lookingAt()) {
          return Optional.empty();
        }
        out.append(switch (m.group(1)) {
          case "underscores" -> "__";
          case "dot" -> ".";
          case "dash" -> "-";
          default -> "/";
        });
        i = m.end();
      } else {
        out.append(escaped.charAt(i));
        i++;
      }
    }
    return Optional.of(out.toString());
  }
}

package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes URL library. Parsing follows Go's {@code url.ParseRequestURI} (an absolute URI or
 * an absolute path; {@code java.net.URI} accepts and refuses different strings).
 */
final class Urls implements Library {
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.URL");

  /** A parsed URL; {@code path} is unescaped, {@code rawPath} set only when the escaping was not the default. */
  record Url(String scheme, String opaque, String host, String path, String rawPath, String rawQuery) {
    String hostname() {
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        return close < 0 ? host.substring(1) : host.substring(1, close);
      }
      int colon = host.lastIndexOf(':');
      return colon < 0 ? host : host.substring(0, colon);
    }

    String port() {
      int close = host.lastIndexOf(']');
      int colon = host.lastIndexOf(':');
      return colon > close ? host.substring(colon + 1) : "";
    }

    String escapedPath() {
      try {
        if (!rawPath.isEmpty() && validEncoded(rawPath) && unescape(rawPath).equals(path)) {
          return rawPath;
        }
      } catch (Refused e) {
        // an invalid raw path is never kept; fall through to the default escaping
      }
      return escapePath(path);
    }
  }

  @Override
  public List<CelType> types() {
    return List.of(TYPE);
  }

  @Override
  public List<CelFunctionDecl> declarations() {
    var s = SimpleType.STRING;
    return List.of(
        newFunctionDeclaration("url", newGlobalOverload("string_to_url", TYPE, s)),
        newFunctionDeclaration("isURL", newGlobalOverload("is_url_string", SimpleType.BOOL, s)),
        newFunctionDeclaration("getScheme", newMemberOverload("url_get_scheme", s, TYPE)),
        newFunctionDeclaration("getHost", newMemberOverload("url_get_host", s, TYPE)),
        newFunctionDeclaration("getHostname", newMemberOverload("url_get_hostname", s, TYPE)),
        newFunctionDeclaration("getPort", newMemberOverload("url_get_port", s, TYPE)),
        newFunctionDeclaration("getEscapedPath", newMemberOverload("url_get_escaped_path", s, TYPE)),
        newFunctionDeclaration("getQuery", newMemberOverload("url_get_query",
            MapType.create(s, ListType.create(s)), TYPE)));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("string_to_url", String.class, Urls::url),
        CelFunctionBinding.from("is_url_string", String.class, s -> parse(s) instanceof Url),
        CelFunctionBinding.from("url_get_scheme", Url.class, Url::scheme),
        CelFunctionBinding.from("url_get_host", Url.class, Url::host),
        CelFunctionBinding.from("url_get_hostname", Url.class, Url::hostname),
        CelFunctionBinding.from("url_get_port", Url.class, Url::port),
        CelFunctionBinding.from("url_get_escaped_path", Url.class, Url::escapedPath),
        CelFunctionBinding.from("url_get_query", Url.class, u -> query(u.rawQuery())));
  }

  /**
   * Like the API server: {@code ParseRequestURI} decides whether {@code s} is a URL, then the value
   * is parsed without its fragment ({@code ParseRequestURI} would glue the fragment to the query).
   */
  static Url url(String s) {
    Object parsed = parse(s);
    if (parsed instanceof Url) {
      int hash = s.indexOf('#');
      return hash < 0 ? (Url) parsed : (Url) parse(s.substring(0, hash).isEmpty() ? "/" : s.substring(0, hash));
    }
    throw new CelRuntimeError("URL parse error during conversion from string: " + parsed);
  }

  /** A {@link Url}, or why Go's {@code url.ParseRequestURI} refuses {@code raw}. */
  static Object parse(String raw) {
    try {
      return parseRequestUri(raw);
    } catch (Refused e) {
      return e.getMessage();
    }
  }

  /** Why a string is not a URL; internal to parsing. */
  private static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static Url parseRequestUri(String raw) throws Refused {
    for (char c : raw.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        throw new Refused("net/url: invalid control character in URL");
      }
    }
    if (raw.isEmpty()) {
      throw new Refused("empty url");
    }
    if (raw.equals("*")) {
      return new Url("", "", "", "*", "", "");
    }
    String scheme = "";
    String rest = raw;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 128 && Character.isLetter(c)
          || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw new Refused("missing protocol scheme");
        }
        scheme = raw.substring(0, i).toLowerCase(java.util.Locale.ROOT);
        rest = raw.substring(i + 1);
      }
      break;
    }
    String rawQuery = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return new Url(scheme, rest, "", "", "", rawQuery);
      }
      throw new Refused("invalid URI for request");
    }
    String host = "";
    if (!scheme.isEmpty() && rest.startsWith("//")) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      rest = slash < 0 ? "" : authority.substring(slash);
      authority = slash < 0 ? authority : authority.substring(0, slash);
      int at = authority.lastIndexOf('@');
      if (at >= 0 && !validUserinfo(authority.substring(0, at))) {
        throw new Refused("net/url: invalid userinfo");
      }
      host = parseHost(at < 0 ? authority : authority.substring(at + 1));
    }
    String path = unescape(rest);
    String rawPath = escapePath(path).equals(rest) ? "" : rest;
    return new Url(scheme, "", host, path, rawPath, rawQuery);
  }

  private static String parseHost(String host) throws Refused {
    String colonPort;
    if (host.startsWith("[")) {
      int close = host.lastIndexOf(']');
      if (close < 0) {
        throw new Refused("missing ']' in host");
      }
      colonPort = host.substring(close + 1);
    } else {
      int colon = host.lastIndexOf(':');
      colonPort = colon < 0 ? "" : host.substring(colon);
    }
    if (!validOptionalPort(colonPort)) {
      throw new Refused("invalid port \"" + colonPort + "\" after host");
    }
    return unescape(host);
  }

  private static boolean validOptionalPort(String port) {
    if (port.isEmpty()) {
      return true;
    }
    if (port.charAt(0) != ':') {
      return false;
    }
    return port.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean validUserinfo(String s) {
    for (char c : s.toCharArray()) {
      if (!(Character.isLetterOrDigit(c) && c < 128) && "-._:~!$&'()*+,;=%@".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Percent-decoding, refusing a {@code %} that does not start a valid escape. */
  private static String unescape(String s) throws Refused {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw new Refused("invalid URL escape \"" + s.substring(i, Math.min(s.length(), i + 3)) + "\"");
        }
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Whether a raw path holds only characters a path may carry unescaped, or escapes. */
  private static boolean validEncoded(String raw) {
    for (char c : raw.toCharArray()) {
      if (!(c < 128 && (Character.isLetterOrDigit(c) || "-_.~$&+,/:;=@!()*'[]%".indexOf(c) >= 0))) {
        return false;
      }
    }
    return true;
  }

  private static String escapePath(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 255);
      if (c < 128 && (Character.isLetterOrDigit(c) || "-_.~$&+,/:;=@".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 255));
      }
    }
    return out.toString();
  }

  /** Go's {@code url.ParseQuery}: pairs with a bad escape or a semicolon are skipped. */
  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty() || pair.contains(";")) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        String k = unescape(key.replace('+', ' '));
        String v = unescape(value.replace('+', ' '));
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      } catch (Refused e) {
        // Go skips a pair with a bad escape
      }
    }
    return out;
  }
}

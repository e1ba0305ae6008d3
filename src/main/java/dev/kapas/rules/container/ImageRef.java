package dev.kapas.rules.container;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, parsed and normalised as the kubelet does (Docker's
 * {@code distribution/reference} grammar, {@code ParseNormalizedNamed}): {@code nginx} is
 * {@code docker.io/library/nginx}, {@code index.docker.io} is {@code docker.io}, the first path
 * component is a registry only if it contains a dot or a colon, is {@code localhost}, or has
 * upper case (a repository path never does).
 *
 * @param registry the registry host, with its port if any ({@code localhost:5000}, {@code docker.io})
 * @param repository the path within the registry ({@code library/nginx})
 * @param tag the tag, empty when none is written (the kubelet then pulls {@code latest})
 * @param digest the digest ({@code sha256:...}), empty when none is written
 */
record ImageRef(String registry, String repository, String tag, String digest) {
  static final String DOCKER_HUB = "docker.io";

  // The grammar's digest rule; digests are rare, so a regular expression is cheap enough here.
  // The other parts (path, tag, domain) are checked by hand below: every container of every
  // object goes through them once per image rule.
  private static final Pattern DIGEST = Pattern.compile(
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final int NAME_MAX = 255;

  /** The reference, or empty when the text is not one (the kubelet would fail with InvalidImageName). */
  static Optional<ImageRef> parse(String text) {
    try {
      return Optional.of(parseOrThrow(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Like {@link #parse}, but says what is wrong. */
  static ImageRef parseOrThrow(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty image reference");
    }
    if (isHex64(text)) {
      throw new IllegalArgumentException("an image name cannot be a 64-character hexadecimal string (an image ID)");
    }
    String rest = text;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      checkDigest(digest);
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!isTag(tag)) {
        throw new IllegalArgumentException("invalid tag `" + tag + "`");
      }
    }
    String registry = DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash >= 0 && isRegistry(rest.substring(0, slash))) {
      registry = rest.substring(0, slash);
      repository = rest.substring(slash + 1);
      if (!isDomain(registry)) {
        throw new IllegalArgumentException("invalid registry `" + registry + "`");
      }
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (!repository.toLowerCase(Locale.ROOT).equals(repository)) {
      throw new IllegalArgumentException("repository name must be lowercase");
    }
    if (!isPath(repository)) {
      throw new IllegalArgumentException("invalid repository name `" + repository + "`");
    }
    ImageRef ref = new ImageRef(registry, repository, tag, digest);
    if (ref.name().length() > NAME_MAX) {
      throw new IllegalArgumentException("the full name " + ref.name() + " is longer than " + NAME_MAX + " characters");
    }
    return ref;
  }

  // The grammar admits any algorithm with 32+ hex digits; go-digest then accepts only the
  // algorithms it knows, each with its exact length in lower-case hex.
  private static void checkDigest(String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("invalid digest `" + digest + "`");
    }
    String algorithm = digest.substring(0, digest.indexOf(':'));
    String hex = digest.substring(digest.indexOf(':') + 1);
    int length = switch (algorithm) {
      case "sha256" -> 64;
      case "sha384" -> 96;
      case "sha512" -> 128;
      default -> throw new IllegalArgumentException("unsupported digest algorithm `" + algorithm + "`");
    };
    if (hex.length() != length || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("a " + algorithm + " digest is " + length + " lower-case hex digits");
    }
  }

  // distribution/reference splitDockerDomain: what comes before the first slash is a registry
  // when it cannot be a path component.
  private static boolean isRegistry(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  // 64 lower-case hex digits: an image ID, not a name.
  private static boolean isHex64(String text) {
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }

  private static boolean isAlnum(char c) {
    return isLowerAlnum(c) || c >= 'A' && c <= 'Z';
  }

  private static boolean isWord(char c) {
    return isAlnum(c) || c == '_';
  }

  // tag: [\w][\w.-]{0,127}
  private static boolean isTag(String tag) {
    if (tag.isEmpty() || tag.length() > 128 || !isWord(tag.charAt(0))) {
      return false;
    }
    for (int i = 1; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (!(isWord(c) || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  // path: component ("/" component)*; component: [a-z0-9]+ (separator [a-z0-9]+)*, where a
  // separator is ".", "_", "__" or one or more "-".
  private static boolean isPath(String path) {
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      if (!isPathComponent(path, start, end)) {
        return false;
      }
      if (slash < 0) {
        return true;
      }
      start = slash + 1;
    }
  }

  private static boolean isPathComponent(String s, int start, int end) {
    if (start >= end || !isLowerAlnum(s.charAt(start)) || !isLowerAlnum(s.charAt(end - 1))) {
      return false;
    }
    int i = start;
    while (i < end) {
      if (isLowerAlnum(s.charAt(i))) {
        i++;
        continue;
      }
      int run = i;
      while (i < end && !isLowerAlnum(s.charAt(i))) {
        i++;
      }
      String separator = s.substring(run, i);
      boolean dashes = separator.chars().allMatch(c -> c == '-');
      if (!(dashes || separator.equals(".") || separator.equals("_") || separator.equals("__"))) {
        return false;
      }
    }
    return true;
  }

  // domain: host (":" [0-9]+)?; host: labels of [a-zA-Z0-9-] (not starting or ending with "-")
  // joined by ".", or an IPv6 address in brackets.
  private static boolean isDomain(String domain) {
    String host = domain;
    String port = null;
    if (domain.startsWith("[")) {
      int close = domain.indexOf(']');
      if (close < 2) {
        return false;
      }
      for (int i = 1; i < close; i++) {
        char c = domain.charAt(i);
        if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':')) {
          return false;
        }
      }
      if (close + 1 < domain.length()) {
        if (domain.charAt(close + 1) != ':') {
          return false;
        }
        port = domain.substring(close + 2);
      }
      return port == null || isDigits(port);
    }
    int colon = domain.indexOf(':');
    if (colon >= 0) {
      host = domain.substring(0, colon);
      port = domain.substring(colon + 1);
      if (!isDigits(port)) {
        return false;
      }
    }
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int end = dot < 0 ? host.length() : dot;
      if (start >= end || !isAlnum(host.charAt(start)) || !isAlnum(host.charAt(end - 1))) {
        return false;
      }
      for (int i = start; i < end; i++) {
        char c = host.charAt(i);
        if (!(isAlnum(c) || c == '-')) {
          return false;
        }
      }
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
  }

  private static boolean isDigits(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  boolean hasDigest() {
    return !digest.isEmpty();
  }

  boolean hasTag() {
    return !tag.isEmpty();
  }

  /** The tag the kubelet pulls when none is written and no digest pins the image. */
  boolean pullsLatest() {
    return !hasDigest() && (!hasTag() || tag.equals("latest"));
  }

  /** {@code registry/repository}, the fully qualified name without tag or digest. */
  String name() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    return name() + (hasTag() ? ":" + tag : "") + (hasDigest() ? "@" + digest : "");
  }
}

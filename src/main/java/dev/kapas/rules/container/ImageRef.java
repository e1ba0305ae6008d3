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

  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
      + "|\\[[a-fA-F0-9:]+\\])";
  private static final Pattern DOMAIN = Pattern.compile(HOST + "(?::[0-9]+)?");
  private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile(
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
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
    if (HEX64.matcher(text).matches()) {
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
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag `" + tag + "`");
      }
    }
    String registry = DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash >= 0 && isRegistry(rest.substring(0, slash))) {
      registry = rest.substring(0, slash);
      repository = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
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
    if (!PATH.matcher(repository).matches()) {
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

package dev.kapas.source.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registry image reference, normalised as Docker does: {@code nginx} is
 * {@code docker.io/library/nginx:latest}; a first component with a dot, a colon or {@code
 * localhost} is the registry.
 *
 * @param registry host[:port] as named ({@code docker.io} for Docker Hub)
 * @param repository path inside the registry
 * @param tag the tag, empty when the reference has only a digest
 * @param digest {@code sha256:…}, empty when not pinned
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public static Optional<ImageRef> parse(String text) {
    String rest = text.strip();
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!Descriptor.isDigest(digest)) {
        return Optional.empty();
      }
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        return Optional.empty();
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      return Optional.empty();
    }
    if (registry.equals(DOCKER_HUB) || registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
      if (!rest.contains("/")) {
        rest = "library/" + rest;
      }
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return Optional.of(new ImageRef(registry, rest, tag, digest));
  }

  /** The host the API is served from: Docker Hub's is not docker.io itself. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** What the manifest request names: the digest when pinned, else the tag. */
  public String reference() {
    return digest.isEmpty() ? tag : digest;
  }

  public String display() {
    return registry + "/" + repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }
}

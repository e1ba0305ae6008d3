package dev.kapas.source.image.sign;

import dev.kapas.source.image.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which images must be signed, and by whom: the {@code imagePolicy:} entries of {@code
 * .kapas.yaml} and {@code --key} on the command line. As with Sigstore's policy-controller, every
 * entry whose glob matches an image applies to it, and each must be met (by any one of its keys);
 * an image that matches no entry is not checked, unless {@code requireSignatures: true}.
 *
 * @param entries in order; {@code --key} is an entry named {@code --key} matching every image
 * @param requireSignatures an image that matches no entry fails {@code container.image-unsigned}
 */
public record ImagePolicy(List<Entry> entries, boolean requireSignatures) {
  /** policy-controller's glob alphabet: anything else is not a glob. */
  private static final Pattern VALID_GLOB = Pattern.compile("[a-zA-Z0-9_:/*.@-]+");
  public static final String CLI_KEYS = "--key";

  public ImagePolicy {
    entries = List.copyOf(entries);
  }

  /**
   * One entry.
   *
   * @param name how findings name it: its {@code name:}, else {@code imagePolicy[N]}
   * @param images globs, any of which selects an image
   * @param keys public keys; a signature by any one meets the entry
   * @param attestations predicate types that must be attested (by the same keys)
   * @param builders SLSA provenance builder IDs allowed (empty: any)
   * @param keyless Fulcio certificates with these identities, checked against a trusted root, also meet the entry
   */
  public record Entry(String name, List<String> images, List<TrustedKey> keys, List<String> attestations,
      List<String> builders, Optional<Keyless> keyless) {
    public Entry {
      images = List.copyOf(images);
      keys = List.copyOf(keys);
      attestations = List.copyOf(attestations);
      builders = List.copyOf(builders);
    }

    /** The names of what meets the entry: key files, and the keyless identity. */
    public List<String> signers() {
      List<String> out = new ArrayList<>(keys.stream().map(TrustedKey::name).toList());
      keyless.ifPresent(k -> out.add(k.name()));
      return out;
    }

    public boolean matches(ImageRef ref, String asGiven) {
      return images.stream().anyMatch(g -> globMatches(g, ref, asGiven));
    }
  }

  public static ImagePolicy none() {
    return new ImagePolicy(List.of(), false);
  }

  /** This policy with {@code keys} (from {@code --key}) required of every image, first. */
  public ImagePolicy withKeys(List<TrustedKey> keys) {
    if (keys.isEmpty()) {
      return this;
    }
    List<Entry> all = new ArrayList<>();
    all.add(new Entry(CLI_KEYS, List.of("**"), keys, List.of(), List.of(), Optional.empty()));
    all.addAll(entries);
    return new ImagePolicy(all, requireSignatures);
  }

  public boolean isEmpty() {
    return entries.isEmpty() && !requireSignatures;
  }

  public List<Entry> matching(ImageRef ref, String asGiven) {
    return entries.stream().filter(e -> e.matches(ref, asGiven)).toList();
  }

  /**
   * A glob as policy-controller compiles it: {@code *} is any run of characters other than
   * {@code /}, {@code **} any run at all, everything else literal, matched against the whole
   * fully-qualified reference ({@code index.docker.io/library/nginx:latest}, {@code
   * registry/repo@sha256:…} when pinned; {@code :} is no separator, so a glob for any tag ends in
   * {@code :**}). The globs {@code *} and {@code *}{@code /*} mean Docker Hub's, and a reference
   * not matched fully qualified is tried as written. Empty when {@code glob} is not a glob.
   */
  public static Optional<Pattern> compile(String glob) {
    String g = switch (glob) {
      case "*" -> "index.docker.io/library/*";
      case "*/*" -> "index.docker.io/*/*";
      default -> glob;
    };
    if (!VALID_GLOB.matcher(g).matches()) {
      return Optional.empty();
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Optional.of(Pattern.compile(re.toString()));
  }

  static boolean globMatches(String glob, ImageRef ref, String asGiven) {
    Optional<Pattern> p = compile(glob);
    if (p.isEmpty()) {
      return false;
    }
    String full = (ref.registry().equals(ImageRef.DOCKER_HUB) ? "index.docker.io" : ref.registry()) + "/"
        + ref.repository() + (ref.digest().isEmpty() ? ":" + ref.tag() : "@" + ref.digest());
    return p.get().matcher(full).matches() || p.get().matcher(asGiven).matches();
  }
}

package dev.kapas.rules.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ImageRef checks the reference grammar by hand, for speed; here the grammar is written as the
 * regular expressions of distribution/reference, and both must agree on many generated
 * references, valid and not.
 */
class ImageRefGrammarTest {
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
      + "|\\[[a-fA-F0-9:]+\\])";
  private static final Pattern DOMAIN = Pattern.compile(HOST + "(?::[0-9]+)?");
  private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  /** The reference parse, by the regular expressions (digests left to ImageRef: rare, and a regex there too). */
  private static Optional<ImageRef> byRegex(String text) {
    if (text.isEmpty() || HEX64.matcher(text).matches()) {
      return Optional.empty();
    }
    String rest = text;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (ImageRef.parse("a@" + digest).isEmpty()) {
        return Optional.empty();
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        return Optional.empty();
      }
    }
    String registry = ImageRef.DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    String first = slash >= 0 ? rest.substring(0, slash) : "";
    if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first))) {
      registry = first;
      repository = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        return Optional.empty();
      }
    }
    if (registry.equals("index.docker.io")) {
      registry = ImageRef.DOCKER_HUB;
    }
    if (registry.equals(ImageRef.DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (!PATH.matcher(repository).matches()) {
      return Optional.empty();
    }
    ImageRef ref = new ImageRef(registry, repository, tag, digest);
    return ref.name().length() > 255 ? Optional.empty() : Optional.of(ref);
  }

  @Test
  void agreesWithTheRegularGrammarOnGeneratedReferences() {
    String[] pieces = {"a", "b", "z9", "0", "A", "Q", ".", "..", "_", "__", "___", "-", "--", "/",
        "//", ":", ":5000", "[", "]", "[::1]", "[fe80::1]", "localhost", "docker.io", "ex-ample.com",
        "-x", "x-", "@", "@sha256:" + "ab".repeat(32), "@sha256:" + "AB".repeat(32), "latest", "v1.2",
        "0123456789abcdef".repeat(4), "é", " "};
    Random random = new Random(42);
    int accepted = 0;
    int rejected = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(7);
      for (int i = 0; i < length; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String reference = text.toString();
      Optional<ImageRef> expected = byRegex(reference);
      assertThat(ImageRef.parse(reference)).as(reference).isEqualTo(expected);
      if (expected.isPresent()) {
        accepted++;
      } else {
        rejected++;
      }
    }
    // Both outcomes must be well represented, or the comparison proves little.
    assertThat(accepted).isGreaterThan(10_000);
    assertThat(rejected).isGreaterThan(10_000);
  }
}

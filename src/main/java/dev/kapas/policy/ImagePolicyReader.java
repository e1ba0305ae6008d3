package dev.kapas.policy;

import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.image.sign.Keyless;
import dev.kapas.source.image.sign.TrustedRoot;
import dev.kapas.source.image.sign.TrustedKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code imagePolicy:} and {@code requireSignatures:} of {@code .kapas.yaml}:
 *
 * <pre>
 * requireSignatures: true            # images no entry matches fail container.image-unsigned
 * imagePolicy:
 *   - name: team                     # how findings name the entry (default imagePolicy[N])
 *     images: "registry.example.com/team/**"   # or a list; policy-controller's globs
 *     keys: [keys/team.pub]          # PEM files (relative to this file) or inline PEM
 *     attestations: [https://slsa.dev/provenance/v1]   # predicate types that must be attested
 *     builders: [https://github.com/actions/runner]     # SLSA provenance builder IDs allowed
 *     keyless: {trustedRoot: trusted_root.json, subject: dev@example.com, issuer: https://accounts.google.com}
 * </pre>
 *
 * Key files are read here, so that a missing or malformed key is reported at its line.
 */
final class ImagePolicyReader {
  private static final List<String> KEYLESS_KEYS = List.of("trustedRoot", "subject", "subjectRegExp", "issuer",
      "issuerRegExp");
  private static final List<String> ENTRY_KEYS = List.of("name", "images", "keys", "keyless", "attestations",
      "builders");

  /** cosign's names for predicate types ({@code cosign attest --type}). */
  private static final Map<String, String> PREDICATE_ALIASES = Map.of(
      "slsaprovenance", "https://slsa.dev/provenance/v0.2",
      "slsaprovenance02", "https://slsa.dev/provenance/v0.2",
      "slsaprovenance1", "https://slsa.dev/provenance/v1",
      "spdx", "https://spdx.dev/Document",
      "spdxjson", "https://spdx.dev/Document",
      "cyclonedx", "https://cyclonedx.org/bom",
      "vuln", "https://cosign.sigstore.dev/attestation/vuln/v1",
      "custom", "https://cosign.sigstore.dev/attestation/v1");

  private ImagePolicyReader() {}

  static ImagePolicy read(String file, MapNode top) throws ConfigException {
    Node require = top.get("requireSignatures");
    if (require.isPresent() && !require.isTrue() && !require.isFalse()) {
      throw new ConfigException(file, require.line(), "requireSignatures: expected true or false");
    }
    Node list = top.get("imagePolicy");
    if (list.isPresent() && !list.isNull() && list.items().isEmpty()) {
      throw new ConfigException(file, list.line(), "imagePolicy: expected a list of entries");
    }
    Path dir = Path.of(file).toAbsolutePath().getParent();
    List<ImagePolicy.Entry> entries = new ArrayList<>();
    int n = 0;
    for (Node item : list.items()) {
      entries.add(entry(file, dir, item, n++));
    }
    return new ImagePolicy(entries, require.isTrue());
  }

  private static ImagePolicy.Entry entry(String file, Path dir, Node item, int n) throws ConfigException {
    MapNode e = item.asMap().orElseThrow(() -> new ConfigException(file, item.line(), "imagePolicy[" + n
        + "]: expected a map with images and keys"));
    ConfigLoader.checkKeys(file, e, ENTRY_KEYS, "imagePolicy key");
    String name = e.get("name").textOr("imagePolicy[" + n + "]");
    Optional<Keyless> keyless = keyless(file, dir, name, e.get("keyless"));
    List<String> images = new ArrayList<>();
    for (Node g : values(e.get("images"))) {
      String glob = g.get("glob").isPresent() ? g.get("glob").textOr("") : g.textOr("");
      if (ImagePolicy.compile(glob).isEmpty()) {
        throw new ConfigException(file, g.line(), name + ".images: `" + glob + "` is not a glob (letters, digits, "
            + "and - _ : / . @ *; `*` stays within a path segment, `**` crosses them)");
      }
      images.add(glob);
    }
    if (images.isEmpty()) {
      throw new ConfigException(file, e.line(), name + ": no `images` glob (`**` for every image)");
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (Node k : values(e.get("keys"))) {
      String text = k.textOr("");
      try {
        keys.add(text.contains("-----BEGIN") ? TrustedKey.parse(text, name + ".keys[" + keys.size() + "]")
            : TrustedKey.read(dir.resolve(text), text));
      } catch (ImageError err) {
        throw new ConfigException(file, k.line(), name + ".keys: " + err.getMessage());
      }
    }
    if (keys.isEmpty() && keyless.isEmpty()) {
      throw new ConfigException(file, e.line(), name + ": no `keys` (PEM public keys the images must be signed with) "
          + "and no `keyless`");
    }
    List<String> attestations = new ArrayList<>();
    for (Node a : values(e.get("attestations"))) {
      attestations.add(PREDICATE_ALIASES.getOrDefault(a.textOr(""), a.textOr("")));
    }
    List<String> builders = new ArrayList<>();
    for (Node b : values(e.get("builders"))) {
      builders.add(b.textOr(""));
    }
    return new ImagePolicy.Entry(name, images, keys, attestations, builders, keyless);
  }

  /** {@code keyless: {trustedRoot, subject | subjectRegExp, issuer | issuerRegExp}}. */
  private static Optional<Keyless> keyless(String file, Path dir, String name, Node node) throws ConfigException {
    if (node.isMissing()) {
      return Optional.empty();
    }
    MapNode k = node.asMap().orElseThrow(() -> new ConfigException(file, node.line(), name + ".keyless: expected a map"));
    ConfigLoader.checkKeys(file, k, KEYLESS_KEYS, "keyless key");
    Node rootNode = k.get("trustedRoot");
    if (rootNode.isMissing()) {
      throw new ConfigException(file, k.line(), name + ".keyless: no `trustedRoot` (a trusted_root.json file; kapas "
          + "verifies offline)");
    }
    String rootFile = rootNode.textOr("");
    TrustedRoot root;
    try {
      root = TrustedRoot.read(dir.resolve(rootFile), rootFile);
    } catch (ImageError err) {
      throw new ConfigException(file, rootNode.line(), name + ".keyless.trustedRoot: " + err.getMessage());
    }
    String subject = k.get("subject").textOr("");
    String issuer = k.get("issuer").textOr("");
    Optional<Pattern> subjectRe = regExp(file, name, k.get("subjectRegExp"));
    Optional<Pattern> issuerRe = regExp(file, name, k.get("issuerRegExp"));
    if (subject.isEmpty() && subjectRe.isEmpty() || issuer.isEmpty() && issuerRe.isEmpty()) {
      throw new ConfigException(file, k.line(), name + ".keyless: give the signer's identity (`subject` or "
          + "`subjectRegExp`) and OIDC issuer (`issuer` or `issuerRegExp`), as cosign verify requires");
    }
    return Optional.of(new Keyless(root, subject, subjectRe, issuer, issuerRe));
  }

  private static Optional<Pattern> regExp(String file, String name, Node n) throws ConfigException {
    if (n.isMissing()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(n.textOr("")));
    } catch (PatternSyntaxException e) {
      throw new ConfigException(file, n.line(), name + ".keyless: `" + n.textOr("") + "` is not a regular expression: "
          + e.getDescription());
    }
  }

  /** A scalar as a list of one, or the items of a list. */
  private static List<Node> values(Node n) {
    return n.text().isPresent() ? List.of(n) : n.items();
  }
}

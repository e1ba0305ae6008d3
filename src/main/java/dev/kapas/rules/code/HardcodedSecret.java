package dev.kapas.rules.code;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Location;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.code.SecretDetector.Match;
import dev.kapas.source.image.FileSecret;
import dev.kapas.source.image.ImageFact;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Credentials written where secrets do not belong: environment variable literals, container
 * arguments, ConfigMap values and annotations. Detection is {@link SecretDetector}'s; values are
 * never printed, only their kind, the name they were found under and a redacted hint.
 *
 * <p>The {@code kubectl.kubernetes.io/last-applied-configuration} annotation repeats the object as
 * JSON. It is searched like any text, because it may still hold a credential that was since
 * removed from the object's fields, but a secret already reported from those fields is not
 * reported again. In a Secret the annotation is not searched: it repeats the Secret's data, which
 * {@code code.secret-manifest-committed} reports.
 */
public final class HardcodedSecret implements ObjectRule, FactRule<ImageFact> {
  private static final Pattern CHECKSUM = Pattern.compile("[0-9a-fA-F]{32,128}");
  private static final RuleSpec SPEC = RuleSpec.rule("code.hardcoded-secret")
      .title("Hard-coded credential")
      .severity(Severity.HIGH)
      .why("A credential written into an environment variable literal, a container argument, a "
          + "ConfigMap or an annotation is readable by everyone who can read the manifest or get "
          + "the object (ConfigMaps and pod specs are not protected like Secrets), and it lives on "
          + "in the repository history. Found are known token formats (AWS access key IDs, "
          + "GitHub, GitLab, Slack, Stripe, Google, npm, PyPI, Docker Hub, SendGrid, OpenAI, "
          + "Anthropic and Vault tokens, Azure storage keys, PEM private keys, JWTs, URLs with a "
          + "password) and high-entropy literals under secret-like names (`password`, `secret`, "
          + "`token`, `api_key`, `access_key`, `private_key`, `credentials`...), skipping "
          + "placeholders (`changeme`, `<...>`, `${VAR}`, `$(VAR)`), references to files or "
          + "secret stores, and the hex digests Helm charts put in `checksum/*` annotations. All three container lists are checked; the "
          + "`kubectl.kubernetes.io/last-applied-configuration` copy of the object is searched too, "
          + "without repeating a secret already reported from the object's own fields. Secrets "
          + "themselves are `code.secret-manifest-committed`'s. In images (kapas image), the config's environment, "
          + "the build history (`created_by`, where `ARG` and `RUN` values stay) and text files of every layer up to "
          + "1 MiB are searched, outside what distributions and package managers install; a file deleted by a "
          + "later layer still counts, since the layer still ships it. Values are never printed.")
      .fix("Rotate the credential, then move it into a Secret (mounted as a file, or created at "
          + "deploy time from a secret store such as External Secrets Operator or the Secrets Store "
          + "CSI driver) and reference it with `secretKeyRef` or a volume instead of a literal.")
      .refs("https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
          "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html")
      .control("cis", "5.4.2")
      .control("nsa", "Network separation and hardening: secrets")
      .build();

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return true;
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Set<Long> reported = new HashSet<>();
    Field root = Field.root(object.root());
    Optional<PodView> pod = PodView.of(object);
    if (pod.isPresent()) {
      for (ContainerView c : pod.get().containers()) {
        containers(c, reported, ctx);
      }
    }
    if (object.kind().equals("ConfigMap") && object.apiVersion().equals("v1")) {
      configMap(object, root, reported, ctx);
    }
    if (object.root().path("metadata", "annotations").size() > 0) {
      annotations(object, root.get("metadata"), reported, ctx);
    }
    if (pod.isPresent() && pod.get().metadata().node().get("annotations").size() > 0
        && !pod.get().metadata().path().equals("metadata")) {
      annotations(object, pod.get().metadata(), reported, ctx);
    }
    Optional<String> lastApplied = object.root().path("metadata", "annotations", LAST_APPLIED).text();
    if (lastApplied.isPresent() && !object.kind().equals("Secret")) {
      for (Match m : SecretDetector.inText(lastApplied.get())) {
        if (reported.add(m.fingerprint())) {
          ctx.fail(root.path("metadata", "annotations").get(LAST_APPLIED), "annotation `" + LAST_APPLIED
              + "` holds a " + m.describe() + named(m) + " that is not in the object's own fields");
        }
      }
    }
  }

  @Override
  public Class<ImageFact> type() {
    return ImageFact.class;
  }

  @Override
  public void check(ImageFact image, RuleContext ctx) {
    List<String> env = image.config().env();
    for (int i = 0; i < env.size(); i++) {
      String entry = env.get(i);
      int eq = entry.indexOf('=');
      String name = eq < 0 ? entry : entry.substring(0, eq);
      for (Match m : SecretDetector.inValue(name, eq < 0 ? "" : entry.substring(eq + 1))) {
        ctx.fail(new Location(image.name(), 0, 0, "config.Env[" + i + "]"), "image " + image.name() + " has a "
            + m.describe() + " in environment variable `" + name + "`" + (m.name().equals(name) ? "" : named(m)));
      }
    }
    List<String> history = image.config().history();
    for (int i = 0; i < history.size(); i++) {
      for (Match m : SecretDetector.inText(history.get(i))) {
        ctx.fail(new Location(image.name(), 0, 0, "history[" + i + "].created_by"), "image " + image.name()
            + " has a " + m.describe() + " in its build history (step " + (i + 1) + ")" + named(m));
      }
    }
    for (FileSecret s : image.secrets()) {
      Match m = s.match();
      ctx.fail(new Location(image.name(), 0, 0, s.path()), "image " + image.name() + " has a "
          + m.describe() + " in /" + s.path() + " on line " + (m.line() + 1) + " (layer " + s.layer() + ")" + named(m));
    }
  }

  private static void containers(ContainerView c, Set<Long> reported, RuleContext ctx) {
    // Fields (with their paths) are built only for a match: most values hold nothing.
    List<Node> env = c.node().get("env").items();
    for (int i = 0; i < env.size(); i++) {
      Optional<String> text = env.get(i).get("value").text();
      if (text.isPresent()) {
        String name = env.get(i).get("name").textOr("");
        for (Match m : SecretDetector.inValue(name, text.get())) {
          report(ctx, reported, c.get("env").get(i).get("value"), m, c.label() + " has a hard-coded " + m.describe()
              + " in environment variable `" + name + "`" + (m.name().equals(name) ? "" : named(m)));
        }
      }
    }
    for (String list : List.of("command", "args")) {
      List<Node> items = c.node().get(list).items();
      for (int i = 0; i < items.size(); i++) {
        Optional<String> text = items.get(i).text();
        if (text.isPresent()) {
          for (Match m : SecretDetector.inText(text.get())) {
            report(ctx, reported, c.get(list).get(i), m, c.label() + " has a hard-coded " + m.describe() + " in `"
                + list + "[" + i + "]`" + named(m));
          }
        }
      }
    }
  }

  private static void configMap(KubeObject object, Field root, Set<Long> reported, RuleContext ctx) {
    Field data = root.get("data");
    data.node().asMap().ifPresent(map -> {
      for (MapNode.Entry e : map.entries()) {
        e.value().text().ifPresent(text -> {
          for (Match m : SecretDetector.inValue(e.key(), text)) {
            report(ctx, reported, data.get(e.key()), m, "ConfigMap `" + object.name() + "` key `" + e.key() + "` holds a "
                + m.describe() + where(m, e.key()));
          }
        });
      }
    });
    Field binary = root.get("binaryData");
    binary.node().asMap().ifPresent(map -> {
      for (MapNode.Entry e : map.entries()) {
        byte[] bytes = decode(e.value().textOr(""));
        List<Match> found = isText(bytes)
            ? SecretDetector.inValue(e.key(), new String(bytes, StandardCharsets.UTF_8))
            : SecretDetector.keystoreFile(e.key(), bytes.length).stream().toList();
        for (Match m : found) {
          report(ctx, reported, binary.get(e.key()), m, "ConfigMap `" + object.name() + "` binaryData key `" + e.key()
              + "` holds a " + m.describe() + where(m, e.key()));
        }
      }
    });
  }

  private static void annotations(KubeObject object, Field metadata, Set<Long> reported, RuleContext ctx) {
    Field annotations = metadata.get("annotations");
    annotations.node().asMap().ifPresent(map -> {
      for (MapNode.Entry e : map.entries()) {
        if (e.key().equals(LAST_APPLIED) || isChecksum(e.key(), e.value().textOr(""))) {
          continue;
        }
        String name = e.key().substring(e.key().lastIndexOf('/') + 1);
        e.value().text().ifPresent(text -> {
          for (Match m : SecretDetector.inValue(name, text)) {
            report(ctx, reported, annotations.get(e.key()), m, "annotation `" + e.key() + "` holds a " + m.describe()
                + (m.name().equals(name) ? "" : named(m)));
          }
        });
      }
    });
  }

  /**
   * {@code checksum/config: <sha256>}: the digest Helm charts put on pod templates so that pods
   * roll when their configuration changes. A digest of a Secret does not reveal it.
   */
  private static boolean isChecksum(String key, String value) {
    return key.startsWith("checksum/") && CHECKSUM.matcher(value).matches();
  }

  private static void report(RuleContext ctx, Set<Long> reported, Field at, Match m, String message) {
    reported.add(m.fingerprint());
    ctx.fail(at, message);
  }

  private static String named(Match m) {
    return m.name().isEmpty() ? "" : " (at `" + m.name() + "`)";
  }

  /** Where inside a multi-line value: the line and the assignment name, when there is one. */
  private static String where(Match m, String key) {
    String line = m.line() > 0 ? " on line " + (m.line() + 1) + " of the value" : "";
    return (m.name().equals(key) || m.name().isEmpty() ? "" : " at `" + m.name() + "`") + line;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64.length() > SecretDetector.MAX_TEXT * 2
          ? base64.substring(0, SecretDetector.MAX_TEXT * 2) : base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** No NUL in the first kilobyte: text a person or tool wrote, not a binary file. */
  private static boolean isText(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, 1024); i++) {
      if (bytes[i] == 0) {
        return false;
      }
    }
    return bytes.length > 0;
  }
}

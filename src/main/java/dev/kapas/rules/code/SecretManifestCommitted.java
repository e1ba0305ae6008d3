package dev.kapas.rules.code;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.MapNode;
import dev.kapas.model.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A Secret manifest with values in it is a credential in version control: base64 is an encoding,
 * not encryption, and every clone, fork and CI log holds it.
 *
 * <p>What is not counted, because it is not secret or not there: empty values; entries whose
 * content is only certificates or public keys ({@code ca.crt}, {@code tls.crt}, a CA bundle) and
 * the {@code namespace} entry of a service-account token; values that are placeholders or
 * templates ({@code ${DB_PASSWORD}}, {@code <password>}, {@code changeme}); SOPS-encrypted
 * Secrets (a top-level {@code sops} block, values {@code ENC[...]}); values a Helm chart
 * generated as it rendered ({@link KubeObject#generated}). No Secret type is skipped
 * wholesale: every built-in type (Opaque, basic-auth, ssh-auth, tls, dockerconfigjson,
 * service-account-token, bootstrap token) carries a credential when it has data. A SealedSecret or
 * ExternalSecret is another kind and is not looked at. Objects read from standard input are not
 * looked at either: they are usually a live cluster's ({@code kubectl get -o yaml | kapas scan -}),
 * not a source tree's.
 */
public final class SecretManifestCommitted implements ObjectRule {
  private static final RuleSpec SPEC = RuleSpec.rule("code.secret-manifest-committed")
      .title("Secret with data committed in a manifest")
      .severity(Severity.MEDIUM)
      .why("A `kind: Secret` manifest with `data` or `stringData` puts the credential itself in "
          + "the repository: `data` is only base64-encoded, so anyone who can read the repository, "
          + "a fork, a CI log or a backup can read the secret, and it stays in the history after "
          + "it is deleted. Entries that are only certificates or public keys, empty values, "
          + "placeholders such as `${DB_PASSWORD}`, and SOPS-encrypted Secrets are not counted, nor "
          + "values a Helm chart generates when it is installed (`randAlphaNum`, `randBytes`, "
          + "`genPrivateKey`, `genCA`/`genSignedCert`, an existing Secret's value reused through "
          + "`lookup`, and their `b64enc`): kapas renders a chart that holds a Secret twice, and a "
          + "value that differs between the two renders was generated, not written in the chart. Secrets "
          + "read from standard input (usually `kubectl get` output, not a source tree) are not checked. "
          + "Values are never printed: the finding names the keys only.")
      .fix("Remove the Secret from the repository and rotate the credential (it is in the history). "
          + "Create it at deploy time from a secret store: External Secrets Operator, the Secrets "
          + "Store CSI driver, Sealed Secrets or SOPS-encrypted files, or `kubectl create secret` in "
          + "the pipeline.")
      .refs("https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
          "https://kubernetes.io/docs/concepts/configuration/secret/")
      .control("cis", "5.4.2")
      .control("nsa", "Network separation and hardening: secrets")
      .build();

  /** Entries that are public by convention in the built-in Secret types. */
  private static final Set<String> PUBLIC_KEYS = Set.of("ca.crt", "tls.crt", "namespace");
  private static final int MAX_NAMED_KEYS = 5;
  private static final String STDIN = "-";

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    // Standard input is not a source tree: `kubectl get secrets -o yaml | kapas scan -` reads a
    // cluster, where every Secret holds data by design.
    return object.kind().equals("Secret") && object.apiVersion().equals("v1")
        && !object.origin().file().equals(STDIN);
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    if (object.root().has("sops")) {
      return;
    }
    Field root = Field.root(object.root());
    List<String> keys = new ArrayList<>();
    Field first = null;
    for (String section : List.of("data", "stringData")) {
      Field entries = root.get(section);
      if (entries.node().asMap().isEmpty()) {
        continue;
      }
      for (MapNode.Entry e : entries.node().asMap().get().entries()) {
        String value = e.value().textOr("");
        String content = section.equals("data") ? decode(value) : value;
        if (!object.generated(e.value()) && isSensitive(e.key(), content)) {
          keys.add(e.key());
          if (first == null) {
            first = entries.get(e.key());
          }
        }
      }
    }
    if (first == null) {
      return;
    }
    String type = object.root().get("type").textOr("Opaque");
    String named = String.join("`, `", keys.subList(0, Math.min(keys.size(), MAX_NAMED_KEYS)))
        + (keys.size() > MAX_NAMED_KEYS ? "` and " + (keys.size() - MAX_NAMED_KEYS) + " more" : "`");
    ctx.fail(first, "Secret `" + object.name() + "` (type `" + type + "`) is committed with "
        + keys.size() + (keys.size() == 1 ? " value" : " values") + ": `" + named);
  }

  private static boolean isSensitive(String key, String content) {
    if (content.isBlank() || PUBLIC_KEYS.contains(key) && !content.contains("PRIVATE KEY")) {
      return false;
    }
    if (SecretDetector.isPlaceholder(content)) {
      return false;
    }
    return !isOnlyPublicPem(content);
  }

  /** Certificates and public keys, nothing else: a CA bundle, a certificate chain. */
  private static boolean isOnlyPublicPem(String content) {
    String s = content.strip();
    if (!s.startsWith("-----BEGIN ") || s.contains("PRIVATE KEY")) {
      return false;
    }
    return s.replaceAll("(?s)-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|TRUSTED CERTIFICATE)-----"
        + ".*?-----END \\1-----", "").isBlank();
  }

  /** The text of a base64 value; the raw text when it is not valid base64 (still a value). */
  private static String decode(String value) {
    StringBuilder compact = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      if (!Character.isWhitespace(value.charAt(i))) {
        compact.append(value.charAt(i));
      }
    }
    try {
      return new String(Base64.getDecoder().decode(compact.toString()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return compact.toString();
    }
  }
}

package dev.kapas.rules.code;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in text: known token formats anywhere, and high-entropy literals assigned to
 * secret-like names. Shared by every rule that looks for secrets (manifests now; source trees,
 * Dockerfiles and image layers later), so the formats, thresholds and the redaction live in one
 * place.
 *
 * <p>A {@link Match} never holds the secret: only its kind, the name it was assigned to, a
 * redacted hint ({@code AKIA…, 20 chars}: at most the public prefix of a token format, never a
 * character of a password) and a fingerprint for de-duplication. Anything a report prints comes
 * from a Match, so a report cannot leak a value by accident.
 *
 * <p>Cost is bounded: all formats run as one precompiled pattern in one pass, text beyond {@link
 * #MAX_TEXT} characters and lines beyond {@link #MAX_LINE} are not searched, and the entropy check
 * only runs for names that look secret.
 */
public final class SecretDetector {
  /** Characters of one value that are searched; the rest of a larger value is ignored. */
  public static final int MAX_TEXT = 1 << 20;
  /** Longest line that the assignment heuristic looks at (minified blobs are skipped). */
  static final int MAX_LINE = 4096;
  /** Longest single value that the entropy heuristic considers (a longer one is a document). */
  static final int MAX_SECRET = 1024;
  /** Nothing shorter is looked at: no token format is, and shorter passwords are not high-entropy. */
  static final int MIN_SECRET = 8;

  /** What a match is. {@code visible} is how many leading characters are a public prefix. */
  public enum Kind {
    AWS_ACCESS_KEY_ID("AWS access key ID", 4,
        "\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b", "AKIA", "ASIA", "ABIA", "ACCA"),
    GITHUB_TOKEN("GitHub token", 4,
        "\\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})\\b",
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    GITLAB_TOKEN("GitLab token", 4, "\\bgl(?:pat|dt|rt|ptt|soat)-[A-Za-z0-9_-]{20,250}",
        "glpat-", "gldt-", "glrt-", "glptt-", "glsoat-"),
    SLACK_TOKEN("Slack token", 4, "\\bxox[baprs]-[A-Za-z0-9-]{10,250}", "xox"),
    SLACK_WEBHOOK("Slack webhook URL", 0,
        "https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9+/_-]{20,250}", "hooks.slack.com"),
    STRIPE_KEY("Stripe live key", 4, "\\b(?:sk|rk)_live_[A-Za-z0-9]{16,247}\\b", "_live_"),
    GOOGLE_API_KEY("Google API key", 4, "\\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", "AIza"),
    NPM_TOKEN("npm access token", 4, "\\bnpm_[A-Za-z0-9]{36}\\b", "npm_"),
    PYPI_TOKEN("PyPI API token", 4, "\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", "pypi-"),
    DOCKER_HUB_TOKEN("Docker Hub access token", 4, "\\bdckr_pat_[A-Za-z0-9_-]{27,250}", "dckr_pat_"),
    SENDGRID_KEY("SendGrid API key", 3, "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", "SG."),
    OPENAI_KEY("OpenAI API key", 3, "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}",
        "T3BlbkFJ"),
    ANTHROPIC_KEY("Anthropic API key", 4, "\\bsk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,250}",
        "sk-ant-"),
    VAULT_TOKEN("HashiCorp Vault token", 4, "\\bhv[sbr]\\.[A-Za-z0-9_-]{24,250}", "hvs.", "hvb.", "hvr."),
    AZURE_STORAGE_KEY("Azure storage account key", 0, "AccountKey=[A-Za-z0-9+/]{86}==", "AccountKey="),
    PRIVATE_KEY("private key (PEM)", 0, "-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----",
        "PRIVATE KEY"),
    JWT("JSON Web Token", 4,
        "\\beyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,8000}\\.[A-Za-z0-9_-]{16,2000}", "eyJ"),
    URL_CREDENTIALS("URL with embedded password", 0,
        "\\b[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\\s:/?#@\"'<>]{0,128}:([^\\s/?#@\"'<>]{1,256})@([A-Za-z0-9._\\[\\]-]{1,253})",
        "://"),
    /** A literal under a secret-like name (a password, a generic API key) with enough entropy. */
    HIGH_ENTROPY("high-entropy value", 0, null),
    /** A binary Java/PKCS#12 keystore (by its file name) where it does not belong. */
    KEYSTORE("binary keystore", 0, null),
    /** A value {@code kapas cluster --save} withheld from a snapshot because it held a credential. */
    REDACTED("credential withheld from a kapas snapshot", 0, null);


    private final String label;
    private final int visible;
    private final Pattern pattern;
    /** Literal text every match contains: the pattern only runs when one of them is there. */
    private final String[] anchors;

    Kind(String label, int visible, String regex, String... anchors) {
      this.label = label;
      this.visible = visible;
      this.pattern = regex == null ? null : Pattern.compile(regex);
      this.anchors = anchors;
    }

    /** How a message names it: {@code AWS access key ID}. */
    public String label() {
      return label;
    }
  }

  /**
   * One credential found. It holds no part of the value beyond {@code hint}.
   *
   * @param kind what it is
   * @param name the key, variable or assignment name it was found under; empty when none
   * @param hint redacted description, safe to print: {@code AKIA…, 20 chars}
   * @param line 0-based line within the scanned text
   * @param fingerprint a hash of the value, to tell whether two matches are the same secret
   */
  public record Match(Kind kind, String name, String hint, int line, long fingerprint) {
    /** {@code AWS access key ID (AKIA…, 20 chars)}: what a finding message says about it. */
    public String describe() {
      return kind.label() + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
  }

  /** Anchors by their first character, so one pass over a value finds which formats to try. */
  private static final Anchor[][] ANCHORS_BY_FIRST_CHAR = new Anchor[128][];

  private record Anchor(String text, Kind kind) {}

  static {
    List<List<Anchor>> byChar = new ArrayList<>();
    for (int c = 0; c < 128; c++) {
      byChar.add(new ArrayList<>());
    }
    for (Kind k : Kind.values()) {
      for (String a : k.anchors) {
        byChar.get(a.charAt(0)).add(new Anchor(a, k));
      }
    }
    for (int c = 0; c < 128; c++) {
      ANCHORS_BY_FIRST_CHAR[c] = byChar.get(c).isEmpty() ? null : byChar.get(c).toArray(new Anchor[0]);
    }
  }

  /** {@code name = value}, {@code name: value}, {@code "name": "value"}, {@code --name=value}. */
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?<![A-Za-z0-9_])[\"']?([A-Za-z_][A-Za-z0-9_.-]{0,80})[\"']?[ \\t]*(?::=|:|=)[ \\t]*"
          + "[\"']?([^\\s\"',;]{1,1024})");

  /** The last word of a name ending in one of these makes it secret-like: {@code DB_PASSWORD}. */
  private static final List<String> SECRET_WORD_ENDINGS = List.of("password", "passwd", "pwd",
      "passphrase", "secret", "token", "credential", "credentials", "apikey", "accesskey",
      "secretkey", "privatekey");
  private static final Set<String> SECRET_WORDS = Set.of("pass", "pw");
  /** {@code key} is secret-like only after one of these: {@code API_KEY}, {@code signingKey}. */
  private static final Set<String> KEY_QUALIFIERS = Set.of("api", "access", "secret", "private",
      "signing", "encryption", "master", "auth", "client", "app", "hmac", "session", "ssh",
      "account", "storage", "license", "crypt", "jwt");

  /** Names that point at a secret rather than hold one: {@code existingSecret}, {@code useToken}. */
  private static final Set<String> REFERENCE_QUALIFIERS = Set.of("existing", "use", "enable", "enabled",
      "mount", "external");
  /** What every secret-like name contains, for {@link #mayHoldAssignment}. */
  private static final List<String> NAME_WORDS = List.of("pass", "pw", "secret", "token", "credential", "key");

  private static final Pattern PLACEHOLDER = Pattern.compile(
      "(?i)(?:change[-_ ]?(?:me|it)|replace[-_ ]?me.*|placeholder|example|sample|dummy|redacted|"
          + "secret|password|passwd|token|none|null|nil|undefined|empty|todo|tbd|fixme|default|"
          + "test|testing|foo|bar|foobar|x{3,}|your[-_ ].*|insert[-_ ].*|enter[-_ ].*|"
          + "\\*+|\\.+|-+|_+|#+|<[^<>]*>|\\[[\\w .-]*]|\\{[\\w .-]*}|\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_]+%)");
  /** References and templates: the real value is put in elsewhere. */
  private static final List<String> TEMPLATE_MARKERS = List.of("${", "$(", "{{", "#{", "%{", "%(",
      "<%", "ENC[", "ENC(", "{cipher}");
  private static final List<String> REFERENCE_PREFIXES = List.of("/", "./", "../", "~/", "file:",
      "arn:", "vault:", "ref+", "projects/", "secret/", "secrets/", "sm://", "awssm:", "gcp:",
      "azurekv:", "op://", "k8s://", "secretref:");
  /** A Kubernetes-style name such as {@code basic-auth} or {@code shop/db-creds}: a reference. */
  private static final Pattern RESOURCE_NAME = Pattern.compile("(?:[a-z0-9-]+/)?[a-z]+(?:[-.][a-z]+)+");
  private static final Pattern FILE_NAME = Pattern.compile(
      "(?i).+\\.(?:pem|key|crt|cer|p12|pfx|jks|json|ya?ml|txt|conf|properties|env|keystore)");
  private static final Pattern KEYSTORE_NAME = Pattern.compile("(?i).*\\.(?:p12|pfx|jks|keystore|bcfks)");
  private static final Pattern TRUSTSTORE_NAME = Pattern.compile("(?i).*(?:trust|cacerts|ca-?bundle).*");

  /** What {@code kapas cluster --save} writes in place of a value that holds a credential. */
  public static final String REDACTED_MARKER = "kapas-redacted: ";

  private SecretDetector() {}

  /**
   * Searches a named value: an environment variable, a ConfigMap entry, an annotation. Token
   * formats count anywhere; a multi-line value is also searched for {@code key = value}
   * assignments line by line; a single-line value under a secret-like {@code name} counts when
   * it has enough entropy.
   */
  public static List<Match> inValue(String name, String value) {
    if (value.startsWith(REDACTED_MARKER)) {
      // the snapshot kept what was found, never the value: it is still a finding when re-scanned
      return List.of(new Match(Kind.REDACTED, name, value.substring(REDACTED_MARKER.length()).strip(), 0, value.hashCode()));
    }
    if (value.length() < MIN_SECRET) {
      return List.of();
    }
    List<Match> out = new ArrayList<>();
    String text = value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value;
    List<int[]> formatRanges = formats(name, text, out);
    boolean multiLine = text.indexOf('\n') >= 0;
    if ((multiLine || formatRanges.isEmpty()) && mayHoldAssignment(text)) {
      assignments(text, formatRanges, out);
    }
    if (out.isEmpty() && !multiLine && isSecretName(name)) {
      highEntropy(name, text.strip(), 0).ifPresent(out::add);
    }
    return out;
  }

  /** Searches free text (a file, a command line argument): token formats and assignments. */
  public static List<Match> inText(String text) {
    return inValue("", text);
  }

  /** A file name that holds a binary keystore (PKCS#12, JKS), not a trust store of certificates. */
  public static Optional<Match> keystoreFile(String fileName, int size) {
    if (KEYSTORE_NAME.matcher(fileName).matches() && !TRUSTSTORE_NAME.matcher(fileName).matches()) {
      return Optional.of(new Match(Kind.KEYSTORE, fileName, size + " bytes", 0, fileName.hashCode()));
    }
    return Optional.empty();
  }

  private static List<int[]> formats(String name, String text, List<Match> out) {
    EnumSet<Kind> candidates = candidates(text);
    if (candidates.isEmpty()) {
      return List.of();
    }
    record Found(Kind kind, int start, int end, String text, String hint) {}
    List<Found> found = new ArrayList<>();
    for (Kind kind : candidates) {
      Matcher m = kind.pattern.matcher(text);
      while (m.find()) {
        String value = m.group();
        if (kind == Kind.PRIVATE_KEY && !hasKeyBody(text, m.end())) {
          continue;
        }
        if (kind == Kind.URL_CREDENTIALS) {
          if (isPlaceholder(m.group(1))) {
            continue;
          }
          found.add(new Found(kind, m.start(), m.end(), value,
              value.substring(0, value.indexOf("://") + 3) + "…@" + m.group(2)));
        } else {
          found.add(new Found(kind, m.start(), m.end(), value, hint(kind, value)));
        }
      }
    }
    found.sort(java.util.Comparator.comparingInt(Found::start));
    List<int[]> ranges = new ArrayList<>();
    int line = 0;
    int lineCountedTo = 0;
    for (Found f : found) {
      if (overlaps(ranges, f.start(), f.end())) {
        continue;
      }
      for (int i = lineCountedTo; i < f.start(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      lineCountedTo = f.start();
      ranges.add(new int[] {f.start(), f.end()});
      out.add(new Match(f.kind(), name, f.hint(), line, fingerprint(f.text())));
    }
    return ranges;
  }

  /** The formats whose anchor text occurs in {@code text}: one pass, no regex. */
  private static EnumSet<Kind> candidates(String text) {
    EnumSet<Kind> out = EnumSet.noneOf(Kind.class);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      Anchor[] anchors = c < 128 ? ANCHORS_BY_FIRST_CHAR[c] : null;
      if (anchors != null) {
        for (Anchor a : anchors) {
          if (text.startsWith(a.text(), i)) {
            out.add(a.kind());
          }
        }
      }
    }
    return out;
  }

  /**
   * Whether some line of {@code text} could assign to a secret-like name: it has {@code :} or
   * {@code =} and one of the words such names end in. Cheap, so most values skip the assignment
   * pattern altogether.
   */
  private static boolean mayHoldAssignment(String text) {
    boolean operator = false;
    boolean word = false;
    for (int i = 0; i < text.length() && !(operator && word); i++) {
      char c = text.charAt(i);
      if (c == ':' || c == '=') {
        operator = true;
      } else if (!word) {
        switch (c | 0x20) {
          case 'p', 's', 't', 'c', 'k' -> {
            for (String w : NAME_WORDS) {
              if (text.regionMatches(true, i, w, 0, w.length())) {
                word = true;
                break;
              }
            }
          }
          default -> { }
        }
      }
    }
    return operator && word;
  }

  /** A PEM header followed by base64: a real key block, not a sentence that mentions one. */
  private static boolean hasKeyBody(String text, int from) {
    int base64 = 0;
    for (int i = from; i < Math.min(text.length(), from + 200); i++) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '+' || c == '/') {
        base64++;
      }
    }
    return base64 >= 32;
  }

  private static void assignments(String text, List<int[]> formatRanges, List<Match> out) {
    int line = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      if (end - start <= MAX_LINE) {
        Matcher m = ASSIGNMENT.matcher(text).region(start, end);
        while (m.find()) {
          if (!overlaps(formatRanges, m.start(2), m.end(2)) && isSecretName(m.group(1))) {
            highEntropy(m.group(1), m.group(2), line).ifPresent(out::add);
          }
        }
      }
      line++;
      start = end + 1;
    }
  }

  private static boolean overlaps(List<int[]> ranges, int start, int end) {
    for (int[] r : ranges) {
      if (start < r[1] && r[0] < end) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a name says its value is a credential: its last word is (or ends in) password,
   * passwd, pwd, passphrase, secret, token, credential(s), or is {@code key} after api, access,
   * secret, private, signing... So {@code DB_PASSWORD}, {@code clientSecret}, {@code
   * AWS_SECRET_ACCESS_KEY} are; {@code PASSWORD_FILE}, {@code SECRET_NAME}, {@code TOKEN_URL} and
   * {@code KEY} are not.
   */
  public static boolean isSecretName(String name) {
    int end = name.length();
    while (end > 0 && !Character.isLetterOrDigit(name.charAt(end - 1))) {
      end--;
    }
    int start = wordStart(name, end);
    if (start == end) {
      return false;
    }
    String word = name.substring(start, end).toLowerCase(Locale.ROOT);
    int prevEnd = start;
    while (prevEnd > 0 && !Character.isLetterOrDigit(name.charAt(prevEnd - 1))) {
      prevEnd--;
    }
    String previous = name.substring(wordStart(name, prevEnd), prevEnd).toLowerCase(Locale.ROOT);
    if (REFERENCE_QUALIFIERS.contains(previous)) {
      return false;
    }
    if (SECRET_WORDS.contains(word)) {
      return true;
    }
    for (String ending : SECRET_WORD_ENDINGS) {
      if (word.endsWith(ending)) {
        return true;
      }
    }
    return word.equals("key") && KEY_QUALIFIERS.contains(previous);
  }

  /** Where the word that ends at {@code end} starts: words split at non-alphanumerics and camelCase humps. */
  private static int wordStart(String name, int end) {
    int i = end;
    while (i > 0 && Character.isLetterOrDigit(name.charAt(i - 1))) {
      char c = name.charAt(i - 1);
      i--;
      if (Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(name.charAt(i - 1))
          || Character.isDigit(name.charAt(i - 1)))) {
        break;
      }
    }
    return i;
  }

  /** A value someone wrote to be replaced, or a reference to where the real value lives. */
  public static boolean isPlaceholder(String value) {
    String v = value.strip();
    if (v.isEmpty() || PLACEHOLDER.matcher(v).matches()) {
      return true;
    }
    for (String marker : TEMPLATE_MARKERS) {
      if (v.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Match> highEntropy(String name, String rawValue, int line) {
    String value = unquote(rawValue);
    if (value.length() > MAX_SECRET || isPlaceholder(value) || looksLikeReference(value)) {
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isWhitespace(value.charAt(i))) {
        return Optional.empty();
      }
    }
    boolean hex = true;
    for (int i = 0; i < value.length() && hex; i++) {
      hex = Character.digit(value.charAt(i), 16) >= 0;
    }
    int minLength = hex ? 16 : MIN_SECRET;
    double cap = hex ? 3.0 : 3.5;
    if (value.length() < minLength) {
      return Optional.empty();
    }
    double threshold = Math.min(cap, 0.75 * log2(value.length()));
    if (entropy(value) < threshold) {
      return Optional.empty();
    }
    return Optional.of(new Match(Kind.HIGH_ENTROPY, name, value.length() + " chars", line,
        fingerprint(value)));
  }

  private static boolean looksLikeReference(String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    for (String prefix : REFERENCE_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return v.contains("://") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")
        || RESOURCE_NAME.matcher(v).matches() || FILE_NAME.matcher(v).matches();
  }

  private static String unquote(String v) {
    String s = v.strip();
    if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    int[] counts = new int[256];
    int others = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 256) {
        counts[c]++;
      } else {
        others++;
      }
    }
    double h = 0;
    double n = s.length();
    for (int c : counts) {
      if (c > 0) {
        double p = c / n;
        h -= p * log2(p);
      }
    }
    if (others > 0) {
      double p = others / n;
      h -= p * log2(p);
    }
    return h;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static String hint(Kind kind, String value) {
    int visible = Math.min(kind.visible, value.length() / 4);
    String prefix = visible > 0 ? value.substring(0, visible) + "…, " : "";
    return kind == Kind.PRIVATE_KEY ? "" : prefix + value.length() + " chars";
  }

  private static long fingerprint(String value) {
    long h = 1125899906842597L;
    for (int i = 0; i < value.length(); i++) {
      h = 31 * h + value.charAt(i);
    }
    return h;
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** The API server's own TLS: certificate, minimum version, cipher suites. */
public final class ApiserverTls extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-tls")
      .title("API server TLS is missing or weak")
      .severity(Severity.HIGH)
      .input(Input.NODE)
      .why("Without its own certificate the API server generates a self-signed one that clients cannot "
          + "verify; TLS below 1.2 and CBC/RC4/3DES suites are breakable or downgradeable.")
      .fix("Set --tls-cert-file and --tls-private-key-file, --tls-min-version=VersionTLS12 or "
          + "VersionTLS13, and if --tls-cipher-suites is set, only ECDHE suites with AES-GCM or ChaCha20.")
      .refs("https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/")
      .control("cis", "1.2.24")
      .control("cis", "1.2.29")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("1.2.24", List.of("tls-cert-file", "tls-private-key-file"),
        "1.2.29", List.of("tls-min-version", "tls-cipher-suites"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    requireSet(ctx, fact, "tls-cert-file", "tls-private-key-file");
    String min = fact.flags().value("tls-min-version");
    if (min.equals("VersionTLS10") || min.equals("VersionTLS11")) {
      fail(ctx, fact, "tls-min-version", setting(fact, "tls-min-version") + ": TLS below 1.2 is accepted");
    }
    List<String> weak = fact.flags().list("tls-cipher-suites").stream().filter(ApiserverTls::weak).toList();
    if (!weak.isEmpty()) {
      fail(ctx, fact, "tls-cipher-suites", "allows weak cipher suites: " + String.join(", ", weak));
    }
  }

  /** RSA key exchange, CBC mode, RC4 and 3DES suites. */
  static boolean weak(String suite) {
    String s = suite.toUpperCase(Locale.ROOT);
    boolean tls13 = s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_");
    return !tls13 && (!s.startsWith("TLS_ECDHE_") || s.contains("_CBC_") || s.contains("RC4") || s.contains("3DES"));
  }
}

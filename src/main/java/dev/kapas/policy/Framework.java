package dev.kapas.policy;

import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The rule sets {@code --framework} selects; each scores only its own rules. */
public enum Framework {
  FOUR_C("4c", "all rules, by layer (cloud, cluster, container, code)"),
  PSS_BASELINE("pss-baseline", "Pod Security Standards, baseline level"),
  PSS_RESTRICTED("pss-restricted", "Pod Security Standards, restricted level (includes baseline)"),
  CIS("cis", "CIS Kubernetes Benchmark"),
  NSA("nsa", "NSA/CISA Kubernetes Hardening Guidance"),
  CUSTOM("custom", "the user's own rules (customRules in .kapas.yaml, --rules-dir)");

  private final String id;
  private final String title;

  Framework(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public boolean includes(RuleSpec spec) {
    return switch (this) {
      case FOUR_C -> true;
      case PSS_BASELINE -> spec.pssLevel() == PssLevel.BASELINE;
      case PSS_RESTRICTED -> spec.isPss();
      case CIS, NSA -> spec.controls().stream().anyMatch(c -> c.framework().equals(id));
      case CUSTOM -> spec.isCustom();
    };
  }

  /** The PSS level whose semantics the PSS rules apply under this framework. */
  public PssLevel pssLevel() {
    return this == PSS_RESTRICTED ? PssLevel.RESTRICTED : PssLevel.BASELINE;
  }

  public static Optional<Framework> parse(String text) {
    return Arrays.stream(values()).filter(f -> f.id.equalsIgnoreCase(text.trim())).findFirst();
  }

  /** What a command says of a {@code --framework} value that names no framework. */
  public static String unknown(String text) {
    return "--framework: `" + text + "` is not one of " + names();
  }

  public static String names() {
    return Arrays.stream(values()).map(Framework::id).collect(Collectors.joining(", "));
  }
}

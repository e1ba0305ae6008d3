package dev.kapas.policy;

import dev.kapas.model.Finding;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An accepted risk from the config file: findings of a rule (ID or glob) on matching objects are
 * suppressed, with the reason, until the optional expiry date has passed.
 *
 * @param rule rule ID or glob ({@code container.*})
 * @param kind kind glob, {@code *} for any
 * @param namespace namespace glob, {@code *} for any
 * @param name object name glob, {@code *} for any
 * @param reason why the risk is accepted (required)
 * @param expires last day it applies, if any
 * @param line where it is written in the config file
 */
public record RuleException(String rule, String kind, String namespace, String name, String reason,
    Optional<LocalDate> expires, int line) {

  public boolean matches(Finding f) {
    return glob(rule).matcher(f.ruleId()).matches()
        && glob(kind).matcher(f.object().kind()).matches()
        && glob(namespace).matcher(f.object().namespace()).matches()
        && glob(name).matcher(f.object().name()).matches();
  }

  public boolean expiredOn(LocalDate today) {
    return expires.map(today::isAfter).orElse(false);
  }

  /** A shell-style glob: {@code *} any run of characters, {@code ?} one character. */
  public static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}

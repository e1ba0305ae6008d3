package dev.kapas.policy;

import dev.kapas.model.Severity;
import java.util.Locale;
import java.util.Optional;

/** The {@code --fail-on} threshold: a severity, or none (never fail on findings). */
public record FailOn(Optional<Severity> threshold) {
  public static final FailOn NONE = new FailOn(Optional.empty());
  public static final FailOn DEFAULT = new FailOn(Optional.of(Severity.HIGH));

  public static Optional<FailOn> parse(String text) {
    if (text.trim().toLowerCase(Locale.ROOT).equals("none")) {
      return Optional.of(NONE);
    }
    return Severity.parse(text).map(s -> new FailOn(Optional.of(s)));
  }

  public boolean trips(Severity severity) {
    return threshold.map(severity::atLeast).orElse(false);
  }

  public String label() {
    return threshold.map(Severity::label).orElse("none");
  }
}

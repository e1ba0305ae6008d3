package dev.kapas.model;

import java.util.Locale;
import java.util.Optional;

/** Severity of a rule, most severe first; the weight drives scores. */
public enum Severity {
  CRITICAL(10),
  HIGH(7),
  MEDIUM(4),
  LOW(2),
  INFO(1);

  private final int weight;

  Severity(int weight) {
    this.weight = weight;
  }

  public int weight() {
    return weight;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this severity is at or above {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }

  /** One step less severe ({@code INFO} stays {@code INFO}). */
  public Severity lower() {
    return this == INFO ? INFO : values()[ordinal() + 1];
  }

  public static Optional<Severity> parse(String text) {
    for (Severity s : values()) {
      if (s.label().equalsIgnoreCase(text.trim())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

package dev.kapas.model;

import java.util.Optional;

/**
 * A scalar. {@code plain} is true when it was written without quotes, so that {@code true} and
 * {@code "true"} can be told apart as YAML does. JSON literals count as plain.
 */
public final class ScalarNode implements Node {
  // Scalars are most of a tree's nodes: keeping `plain` in the column's unused top bit makes a
  // node 24 bytes instead of 32 (a large scan holds millions of them).
  private static final long PLAIN = 1L << 31;

  private final String value;
  private final long position;

  public ScalarNode(String value, boolean plain, int line, int column) {
    this.value = value;
    this.position = Positions.pack(line, Math.max(0, column)) | (plain ? PLAIN : 0);
  }

  public String value() {
    return value;
  }

  public boolean plain() {
    return (position & PLAIN) != 0;
  }

  @Override
  public int line() {
    return Positions.line(position);
  }

  @Override
  public int column() {
    return Positions.column(position & ~PLAIN);
  }

  @Override
  public boolean isNull() {
    return plain() && (value.isEmpty() || value.equals("~") || value.equals("null")
        || value.equals("Null") || value.equals("NULL"));
  }

  @Override
  public Optional<String> text() {
    return isNull() ? Optional.empty() : Optional.of(value);
  }

  // Kubernetes decodes YAML 1.1 (go-yaml v2), where yes/no/on/off are booleans too.
  @Override
  public boolean isTrue() {
    return plain() && switch (value) {
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> true;
      default -> false;
    };
  }

  @Override
  public boolean isFalse() {
    return plain() && switch (value) {
      case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" -> true;
      default -> false;
    };
  }

  @Override
  public Optional<Long> asLong() {
    if (!plain()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.decode(value.replace("_", "")));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return value;
  }
}

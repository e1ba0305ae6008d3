package dev.kapas.serve;

import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What kapas serve does with a finding, per namespace, as Pod Security Admission does with its
 * labels: {@code kapas.dev/enforce: <severity>} denies a request with a finding at or above that
 * severity, {@code kapas.dev/warn} returns a warning to the client, {@code kapas.dev/audit} adds
 * an audit annotation. A namespace with none of the three labels gets the default mode and severity.
 */
public enum Mode {
  ENFORCE, WARN, AUDIT;

  public static final String LABEL_PREFIX = "kapas.dev/";

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return LABEL_PREFIX + id();
  }

  public static Optional<Mode> parse(String text) {
    for (Mode m : values()) {
      if (m.id().equalsIgnoreCase(text.trim())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The thresholds of one namespace, and what was wrong with its labels.
   *
   * @param thresholds the lowest severity each mode acts on; a mode absent does not act
   * @param problems labels that are not a severity (each such mode falls back to the default severity)
   */
  public record Thresholds(Map<Mode, Severity> thresholds, List<String> problems) {
    public Optional<Severity> of(Mode mode) {
      return Optional.ofNullable(thresholds.get(mode));
    }

    /**
     * From a namespace's labels (empty: the object is cluster-scoped, or its namespace is unknown).
     */
    public static Thresholds of(Optional<Map<String, String>> labels, Mode defaultMode, Severity defaultSeverity) {
      Map<Mode, Severity> out = new EnumMap<>(Mode.class);
      List<String> problems = new ArrayList<>();
      Map<String, String> given = labels.orElse(Map.of());
      for (Mode m : values()) {
        String value = given.get(m.label());
        if (value != null) {
          Optional<Severity> s = Severity.parse(value);
          if (s.isEmpty()) {
            problems.add("namespace label " + m.label() + "=" + value + " is not a severity (critical, high, medium, "
                + "low, info); " + defaultSeverity.label() + " used");
          }
          out.put(m, s.orElse(defaultSeverity));
        }
      }
      if (out.isEmpty()) {
        out.put(defaultMode, defaultSeverity);
      }
      return new Thresholds(out, problems);
    }
  }
}

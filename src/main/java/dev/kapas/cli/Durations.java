package dev.kapas.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as helm and kubectl users write them (Go's {@code time.ParseDuration}): {@code 90s},
 * {@code 2m}, {@code 1m30s}, {@code 1.5h}, {@code 500ms}; a plain number is seconds.
 */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Pattern PLAIN = Pattern.compile("\\d+(?:\\.\\d*)?");

  private Durations() {}

  /** The duration {@code text} spells; empty when it spells none. */
  static Optional<Duration> parse(String text) {
    String t = text.strip();
    if (PLAIN.matcher(t).matches()) {
      return Optional.of(nanos(t, 1_000_000_000L));
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        return Optional.empty();
      }
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total = total.plus(nanos(m.group(1), unit));
      at = m.end();
    }
    return at == 0 ? Optional.empty() : Optional.of(total);
  }

  /**
   * {@code amount} units of {@code unitNanos}. Whole numbers of up to six digits (every default
   * and nearly every value given) in long arithmetic, which cannot overflow there: BigDecimal's
   * first use costs a small scan's start-up a noticeable share.
   */
  private static Duration nanos(String amount, long unitNanos) {
    boolean whole = amount.length() <= 6;
    for (int i = 0; whole && i < amount.length(); i++) {
      whole = amount.charAt(i) >= '0' && amount.charAt(i) <= '9';
    }
    if (whole) {
      return Duration.ofNanos(Long.parseLong(amount) * unitNanos);
    }
    return Duration.ofNanos(new BigDecimal(amount).multiply(BigDecimal.valueOf(unitNanos)).longValue());
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Go-style durations, whole numbers (long arithmetic) and fractions or long numbers (BigDecimal) alike. */
class DurationsTest {
  @Test
  void wholeAndFractionalAmountsInEveryUnit() {
    assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("1m30s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("1.5h")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("250us")).contains(Duration.ofNanos(250_000));
    assertThat(Durations.parse("7ns")).contains(Duration.ofNanos(7));
    assertThat(Durations.parse(" 2 ")).contains(Duration.ofSeconds(2));
    assertThat(Durations.parse("0.25")).contains(Duration.ofMillis(250));
    assertThat(Durations.parse("999999h")).contains(Duration.ofHours(999_999));
    assertThat(Durations.parse("1234567s")).contains(Duration.ofSeconds(1_234_567));
    assertThat(Durations.parse(".5s")).contains(Duration.ofMillis(500));
  }

  @Test
  void notADuration() {
    assertThat(Durations.parse("")).isEqualTo(Optional.empty());
    assertThat(Durations.parse("5 minutes")).isEmpty();
    assertThat(Durations.parse("m")).isEmpty();
    assertThat(Durations.parse("1x")).isEmpty();
  }
}

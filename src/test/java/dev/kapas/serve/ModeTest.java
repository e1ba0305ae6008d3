package dev.kapas.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Severity;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModeTest {
  @Test
  void aNamespaceWithoutKapasLabelsGetsTheDefault() {
    Mode.Thresholds t = Mode.Thresholds.of(Optional.of(Map.of("team", "shop")), Mode.WARN, Severity.MEDIUM);
    assertThat(t.thresholds()).isEqualTo(Map.of(Mode.WARN, Severity.MEDIUM));
    assertThat(Mode.Thresholds.of(Optional.empty(), Mode.ENFORCE, Severity.HIGH).thresholds())
        .isEqualTo(Map.of(Mode.ENFORCE, Severity.HIGH));
  }

  @Test
  void labelsSetEachModeAndReplaceTheDefault() {
    Mode.Thresholds t = Mode.Thresholds.of(Optional.of(Map.of("kapas.dev/enforce", "critical",
        "kapas.dev/warn", "Medium")), Mode.AUDIT, Severity.LOW);
    assertThat(t.thresholds()).isEqualTo(Map.of(Mode.ENFORCE, Severity.CRITICAL, Mode.WARN, Severity.MEDIUM));
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void aLabelThatIsNotASeverityFallsBackToTheDefaultSeverityAndSaysSo() {
    Mode.Thresholds t = Mode.Thresholds.of(Optional.of(Map.of("kapas.dev/enforce", "strict")), Mode.WARN,
        Severity.HIGH);
    assertThat(t.thresholds()).isEqualTo(Map.of(Mode.ENFORCE, Severity.HIGH));
    assertThat(t.problems()).containsExactly("namespace label kapas.dev/enforce=strict is not a severity (critical, "
        + "high, medium, low, info); high used");
  }
}

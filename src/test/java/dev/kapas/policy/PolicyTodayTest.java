package dev.kapas.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.Env;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Today's date is read only when something needs it: its first read loads the time-zone
 * database, which a scan without config exceptions should not pay for at start-up.
 */
class PolicyTodayTest {
  @Test
  void policyWithoutExceptionsNeverAsksForTheDate() {
    AtomicInteger asked = new AtomicInteger();
    Policy.Outcome outcome = new Policy(Config.empty(), RuleCatalog.builtIn(), () -> {
      asked.incrementAndGet();
      return LocalDate.of(2026, 1, 1);
    }).apply(List.<Finding>of(), new Inventory(List.of(), List.of(), List.of()));
    assertThat(outcome.findings()).isEmpty();
    assertThat(asked.get()).isZero();
  }

  @Test
  void systemEnvironmentReadsTheDateOnceWhenAsked() {
    Env env = Env.system();
    LocalDate before = LocalDate.now();
    LocalDate today = env.today();
    assertThat(today).isBetween(before, LocalDate.now());
    assertThat(env.today()).isSameAs(today);
  }
}

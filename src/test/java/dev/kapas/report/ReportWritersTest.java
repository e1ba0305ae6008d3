package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.cli.CliRun;
import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.policy.Config;
import dev.kapas.policy.FailOn;
import dev.kapas.policy.Framework;
import dev.kapas.policy.Policy;
import dev.kapas.policy.Scores;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every format shares. */
class ReportWritersTest {

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void aFailedWriteIsAnIOExceptionNotSilence(ReportFormat format) {
    Writer full = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> format.writer(false, java.nio.file.Path.of("/work")).write(report(), full)).isInstanceOf(IOException.class);
  }

  /** The report of the fixture workloads, built the way {@code kapas scan} builds it. */
  static ScanReport report() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(CliRun.WORKLOADS), Progress.NONE);
    Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
    Evaluation evaluation = new Engine(catalog.all(), Engine.Settings.defaults()).run(inventory);
    Policy.Outcome outcome = new Policy(Config.empty(), catalog, LocalDate.of(2026, 1, 15))
        .apply(evaluation.findings(), inventory);
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    evaluation.rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    return new ScanReport("test", Framework.FOUR_C, PssVersion.LATEST, FailOn.DEFAULT, ran, outcome.findings(),
        inventory.errors(), inventory.notes(), outcome.warnings(),
        Scores.of(evaluation, outcome.findings(), Map.of()), evaluation, List.of(), 1);
  }
}

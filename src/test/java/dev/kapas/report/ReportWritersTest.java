package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
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
    assertThatThrownBy(() -> format.writer(false, Path.of("/work")).write(report(), full)).isInstanceOf(IOException.class);
  }

  /**
   * Report files go through the byte-stream overload (the JSON formats encode UTF-8 themselves);
   * it must give exactly the bytes the writer overload gives for stdout. (Not the SBOMs: each has
   * a fresh serial number and time, and a scan of manifests has no image to describe; ImageCommandTest
   * writes them.)
   */
  @ParameterizedTest
  @EnumSource(value = ReportFormat.class, names = {"CYCLONEDX", "SPDX_JSON"}, mode = EnumSource.Mode.EXCLUDE)
  void aFileGetsTheSameUtf8BytesAsStdout(ReportFormat format, @TempDir Path dir) throws IOException {
    Path manifest = dir.resolve("pod.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: Pod
        metadata: {name: caf\u00e9, namespace: shop}
        spec:
          containers:
          - name: \u00e7a-marche-\u2603
            image: nginx:1.27
            securityContext: {privileged: true}
        """, StandardCharsets.UTF_8);
    ScanReport report = report(manifest.toString());
    ReportWriter writer = format.writer(false, Path.of("/work"));
    StringWriter chars = new StringWriter();
    writer.write(report, chars);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writer.write(report, bytes);

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(chars.toString()).contains("\u00e7a-marche-\u2603").endsWith("\n");
  }

  /** The report of the fixture workloads, built the way {@code kapas scan} builds it. */
  static ScanReport report() {
    return report(CliRun.WORKLOADS);
  }

  private static ScanReport report(String file) {
    RuleCatalog catalog = RuleCatalog.builtIn();
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(file), Progress.NONE);
    Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
    Evaluation evaluation = new Engine(catalog.all(), Engine.Settings.defaults()).run(inventory);
    Policy.Outcome outcome = new Policy(Config.empty(), catalog, LocalDate.of(2026, 1, 15))
        .apply(evaluation.findings(), inventory);
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    evaluation.rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    return new ScanReport("test", Framework.FOUR_C, PssVersion.LATEST, FailOn.DEFAULT, ran, outcome.findings(),
        inventory.errors(), inventory.notes(), outcome.warnings(),
        Scores.of(evaluation, outcome.findings(), inventory.errors().size()), evaluation, List.of(), 1);
  }
}

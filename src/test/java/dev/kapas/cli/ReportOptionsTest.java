package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How --format and --output pair up, and the usage errors for what cannot be meant. */
class ReportOptionsTest {
  private static final String ESC = "\u001b[";

  @TempDir
  Path dir;

  @Test
  void pairsEachOutputWithTheFormatJustBeforeIt() throws IOException {
    CliRun run = scan("-f", "json", "-o", file("a.json"), "-f", "sarif", "-o", file("b.sarif"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(read("a.json")).startsWith("{\n  \"findings\"");
    assertThat(read("b.sarif")).contains("\"version\" : \"2.1.0\"");
  }

  @Test
  void aLoneOutputTakesItsFormatFromTheExtension() throws IOException {
    CliRun run = scan("-o", file("r.json"), "-o", file("r.sarif"), "-o", file("r.xml"), "-o", file("r.txt"),
        "-o", file("r.sarif.json"), "-o", file("r.html"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(read("r.json")).contains("\"findings\"");
    assertThat(read("r.sarif")).contains("\"runs\"");
    assertThat(read("r.sarif.json")).contains("\"runs\"");
    assertThat(read("r.xml")).startsWith("<?xml").contains("<testsuites");
    assertThat(read("r.txt")).startsWith("kapas ").contains("Result: FAIL");
    assertThat(read("r.html")).startsWith("<!DOCTYPE html>").contains("verdict-fail");
  }

  @Test
  void aFormatWithoutOutputGoesToStdout() throws IOException {
    CliRun run = scan("-f", "table", "-f", "json", "-o", file("r.json"));
    assertThat(run.out()).startsWith("kapas ").contains("CLUSTER");
    assertThat(read("r.json")).contains("\"findings\"");

    CliRun after = scan("-o", file("first.json"), "-f", "junit");
    assertThat(after.out()).startsWith("<?xml");
    assertThat(read("first.json")).contains("\"findings\"");
  }

  @Test
  void dashIsStdout() {
    CliRun run = scan("-f", "json", "-o", "-");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("{");
  }

  @Test
  void longAndAttachedSpellingsWork() throws IOException {
    CliRun run = scan("--format=sarif", "--output=" + file("l.sarif"), "-fjson", "-o" + file("s.json"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(read("l.sarif")).contains("\"runs\"");
    assertThat(read("s.json")).contains("\"findings\"");
  }

  @Test
  void defaultIsATableOnStdout() {
    CliRun run = scan();
    assertThat(run.out()).startsWith("kapas ").contains("Result: FAIL");
  }

  @Test
  void twoReportsOnStdoutIsAUsageError() {
    assertUsageError(scan("-f", "json", "-f", "sarif"), "only one report can go to stdout (json and sarif");
    assertUsageError(scan("-f", "json", "-o", "-", "-f", "table"), "only one report can go to stdout");
  }

  @Test
  void aFormatContradictingTheExtensionIsAUsageError() {
    assertUsageError(scan("-f", "json", "-o", file("x.sarif")), "the extension says sarif");
    assertUsageError(scan("-f", "junit", "-o", file("x.json")), "the extension says json");
    assertUsageError(scan("-f", "table", "-o", file("x.xml")), "the extension says junit");
    assertThat(Files.exists(dir.resolve("x.sarif"))).isFalse();
  }

  @Test
  void sarifMayGoToAJsonFile() throws IOException {
    assertThat(scan("-f", "sarif", "-o", file("results.json")).exitCode()).isEqualTo(1);
    assertThat(read("results.json")).contains("\"runs\"");
  }

  @Test
  void anUnknownExtensionNeedsAFormat() throws IOException {
    assertUsageError(scan("-o", file("report.pdf")), "cannot tell the format from the file name");
    assertThat(scan("-f", "table", "-o", file("report")).exitCode()).isEqualTo(1);
    assertThat(read("report")).startsWith("kapas ");
  }

  @Test
  void theSameFileTwiceIsAUsageError() {
    assertUsageError(scan("-o", file("a.json"), "-f", "json", "-o", dir.resolve("sub/../a.json").toString()),
        "is given twice");
  }

  @Test
  void anUnknownOrMissingFormatIsAUsageError() {
    assertUsageError(scan("-f", "xml"), "--format: `xml` is not one of table, json, sarif, junit");
    assertUsageError(CliRun.run("scan", CliRun.WORKLOADS, "-f"), "Missing required parameter for option '--format'");
    assertUsageError(CliRun.run("scan", CliRun.WORKLOADS, "--output"), "Missing required parameter for option '--output'");
  }

  @Test
  void anOutputThatIsADirectoryIsAUsageErrorBeforeScanning() {
    assertUsageError(scan("-f", "json", "-o", dir.toString()), "cannot write " + dir + ": it is a directory");
    assertUsageError(scan("-o", dir.resolve("x.json") + "/"), "x.json/ names a directory; give a file name");
  }

  @Test
  void anOutputUnderARegularFileIsAUsageError() throws IOException {
    Files.writeString(dir.resolve("plain"), "x");
    assertUsageError(scan("-o", file("plain/r.json")), "plain is not a directory");
  }

  @Test
  void aWriteThatFailsAfterTheScanIsExit2WithAPlainMessage() throws IOException {
    // /dev/full accepts the open and fails every write (ENOSPC): a full disk, for real.
    Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs Linux /dev/full");
    CliRun run = scan("-f", "json", "-o", "/dev/full", "-o", file("ok.sarif"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("kapas scan: cannot write /dev/full: No space left on device\n");
    assertThat(read("ok.sarif")).as("the other reports are still written").contains("\"runs\"");
  }

  @Test
  void missingDirectoriesAreCreated() throws IOException {
    assertThat(scan("-o", file("new/deeper/r.sarif")).exitCode()).isEqualTo(1);
    assertThat(read("new/deeper/r.sarif")).contains("\"runs\"");
  }

  @Test
  void inputErrorsGoToStderrWhenNoReportIsOnStdout() {
    CliRun run = CliRun.scanFixtures("-o", file("r.json"));
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("error: " + CliRun.BROKEN + ":6:1: invalid YAML");
  }

  @Test
  void colourOnlyOnATerminalAndNotWhenRefused() throws IOException {
    assertThat(CliRun.run(true, Map.of(), "scan", CliRun.WORKLOADS).out()).contains(ESC);
    assertThat(CliRun.run(false, Map.of(), "scan", CliRun.WORKLOADS).out()).doesNotContain(ESC);
    assertThat(CliRun.run(true, Map.of("NO_COLOR", "1"), "scan", CliRun.WORKLOADS).out()).doesNotContain(ESC);
    assertThat(CliRun.run(true, Map.of("NO_COLOR", ""), "scan", CliRun.WORKLOADS).out()).contains(ESC);
    assertThat(CliRun.run(true, Map.of("TERM", "dumb"), "scan", CliRun.WORKLOADS).out()).doesNotContain(ESC);
    assertThat(CliRun.run(true, Map.of(), "scan", CliRun.WORKLOADS, "--no-color").out()).doesNotContain(ESC);
    CliRun toFile = CliRun.run(true, Map.of(), "scan", CliRun.WORKLOADS, "-o", file("t.txt"));
    assertThat(read("t.txt")).doesNotContain(ESC);
  }

  private CliRun scan(String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "scan";
    args[1] = CliRun.WORKLOADS;
    System.arraycopy(options, 0, args, 2, options.length);
    return CliRun.run(args);
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  private static void assertUsageError(CliRun run, String message) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
    assertThat(run.err()).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).as("nothing scanned, nothing reported").isEmpty();
  }
}

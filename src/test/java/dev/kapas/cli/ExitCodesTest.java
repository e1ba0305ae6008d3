package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes README documents are the ones `--help` prints and the ones kapas returns. */
class ExitCodesTest {

  @Test
  void readmeTableSaysWhatExitCodeSays() throws IOException {
    Map<Integer, String> readme = new LinkedHashMap<>();
    String text = Files.readString(Path.of("README.md"));
    String table = text.substring(text.indexOf("### Exit codes"));
    Matcher row = Pattern.compile("(?m)^\\| (\\d) \\| (.+) \\|$").matcher(table.substring(0, table.indexOf("\n\n", 20)));
    while (row.find()) {
      readme.put(Integer.parseInt(row.group(1)), row.group(2).replace("`", ""));
    }
    Map<Integer, String> declared = new LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      declared.put(c.code(), c.meaning());
    }
    assertThat(readme).isEqualTo(declared);
  }

  @Test
  void helpOfKapasAndOfScanSayTheSame() {
    for (String[] args : new String[][] {{"--help"}, {"scan", "--help"}}) {
      String help = CliRun.run(args).out().replaceAll("\\s+", " ");
      for (ExitCode c : ExitCode.values()) {
        assertThat(help).as(String.join(" ", args)).contains(c.code() + " " + c.meaning());
      }
    }
  }

  @Test
  void scanReturnsEachCodeWhenTheReadmeSays(@TempDir Path dir) throws IOException {
    Path clean = Files.writeString(dir.resolve("clean.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: [\n");
    String rule = "--rules=cluster.privileged-container";
    assertThat(CliRun.run("scan", rule, clean.toString()).exitCode()).isEqualTo(ExitCode.OK.code());
    assertThat(CliRun.run("scan", rule, CliRun.WORKLOADS).exitCode()).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(CliRun.run("scan", "--fail-on", "extreme", clean.toString()).exitCode()).isEqualTo(ExitCode.USAGE.code());
    // a report under a regular file cannot be written
    assertThat(CliRun.run("scan", rule, clean.toString(), "-o", clean.resolve("r.json").toString()).exitCode())
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(CliRun.run("scan", rule, CliRun.WORKLOADS, broken.toString()).exitCode())
        .as("wins over 1").isEqualTo(ExitCode.INPUT_ERROR.code());
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad and hostile input: each case scans one bad file next to a good one and expects a one-line
 * error that names the bad file and its line, the good file still scanned, and exit code 3. The
 * timeouts only keep a regression from hanging the build; speed is measured in bench/.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {
  private static final String GOOD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: good}
      spec:
        containers:
        - name: c
          image: nginx:1.27
          securityContext: {privileged: true}
      """;

  @TempDir Path dir;

  @Test
  void malformedYaml() throws IOException {
    Path bad = write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a\nspec: x\n");
    expectError(bad, 4, "invalid YAML");
  }

  @Test
  void tabIndentation() throws IOException {
    Path bad = write("tab.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n");
    expectError(bad, 4, "TAB");
  }

  @Test
  void binaryFile() throws IOException {
    Path bad = dir.resolve("image.yaml");
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    Files.write(bad, bytes);
    // bytes 0..9 are on line 1, byte 10 is a newline; the first NUL is the very first byte
    expectError(bad, 1, "binary file");
  }

  @Test
  void notUtf8PointsAtTheBadByte() throws IOException {
    Path bad = dir.resolve("latin1.yaml");
    Files.write(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\u00e9}\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    CliRun run = expectError(bad, 3, "not valid UTF-8");
    assertThat(run.err()).contains("latin1.yaml:3:21:");
  }

  @Test
  void emptyFile() throws IOException {
    Path bad = write("empty.yaml", "");
    expectError(bad, 1, "empty file");
  }

  @Test
  void tenMegabyteFileWithJunkAtTheEnd() throws IOException {
    Path bad = dir.resolve("big.yaml");
    int pods = 0;
    try (Writer w = Files.newBufferedWriter(bad)) {
      long written = 0;
      while (written < 10_000_000) {
        String doc = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm" + pods++
            + ", namespace: bulk}\ndata:\n  key: value-" + "x".repeat(100) + "\n";
        w.write(doc);
        written += doc.length();
      }
      w.write("]junk: [\n");
    }
    int junkLine = pods * 6 + 1;
    CliRun run = expectError(bad, junkLine, "invalid YAML");
    // every document before the junk was read; the last one, which the junk is part of, is not
    assertThat(run.out()).contains("\"objects\" : " + pods);
  }

  @Test
  void directoryWithoutManifests() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(empty.resolve("README.md"), "# not a manifest\n");
    CliRun run = scan(empty);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(errorLines(run)).singleElement().asString()
        .contains("docs").contains("no .yaml, .yml or .json files");
  }

  @Test
  void nonExistentPath() {
    CliRun run = scan(dir.resolve("missing.yaml"));
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(errorLines(run)).singleElement().asString()
        .contains("missing.yaml").contains("no such file or directory");
  }

  @Test
  void unreadableFile() throws IOException {
    Path bad = write("secret.yaml", GOOD);
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("---------"));
    if (Files.isReadable(bad)) {
      // root reads anything, whatever its mode; /proc/self/mem is a file whose read fails (EIO)
      bad = Path.of("/proc/self/mem");
      assumeTrue(Files.exists(bad), "running as root and no /proc/self/mem to stand in");
    }
    CliRun run = scan(bad);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(errorLines(run)).singleElement().asString()
        .contains(bad.getFileName().toString()).contains("cannot read file");
    assertThat(run.out()).contains("zz-good.yaml");
  }

  @Test
  void aliasBomb() throws IOException {
    StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 0; i < 8; i++) {
      char prev = (char) ('a' + i);
      char name = (char) ('b' + i);
      // each level is a list of nine aliases of the one before: 9^9 strings once expanded
      yaml.append(name).append(": &").append(name).append(" [")
          .append(String.join(",", java.util.Collections.nCopies(9, "*" + prev))).append("]\n");
    }
    Path bad = write("bomb.yaml", yaml.toString());
    expectError(bad, -1, "alias bomb");
  }

  @Test
  void tenThousandDeepFlowNesting() throws IOException {
    Path bad = write("deep.yaml", "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
    expectError(bad, 1, "nesting deeper than 512");
  }

  @Test
  void deepBlockNesting() throws IOException {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      yaml.append(" ".repeat(i)).append("k:\n");
    }
    Path bad = write("deepblock.yaml", yaml.toString());
    expectError(bad, 513, "nesting deeper than 512");
  }

  @Test
  void fiftyMegabyteScalar() throws IOException {
    expectError(hugeScalar("A".repeat(1 << 20), 50), 5, "characters without a blank");
  }

  @Test
  void fiftyMegabyteScalarWithBlanks() throws IOException {
    expectError(hugeScalar("lorem ipsum ".repeat(1 << 16), 64), 5, "larger than the limit");
  }

  /** A ConfigMap whose one value, on line 5, is {@code chunk} repeated {@code times}. */
  private Path hugeScalar(String chunk, int times) throws IOException {
    Path bad = dir.resolve("huge.yaml");
    try (Writer w = Files.newBufferedWriter(bad)) {
      w.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: \"");
      for (int i = 0; i < times; i++) {
        w.write(chunk);
      }
      w.write("\"\n");
    }
    return bad;
  }

  @Test
  void duplicateKeys() throws IOException {
    Path bad = write("dup.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n"
        + "spec:\n  containers: []\n");
    CliRun run = expectError(bad, 5, "duplicate key `name` (first at line 4)");
    // the object itself is still scanned, with the last value, as the API server would
    assertThat(run.out()).contains("\"objects\" : 2");
  }

  // --- helpers

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** Scans {@code bad} and a good file, JSON report on stdout. */
  private CliRun scan(Path bad) {
    Path good = dir.resolve("zz-good.yaml");
    try {
      Files.writeString(good, GOOD);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return CliRun.in(dir, "scan", bad.toString(), good.toString(), "-f", "json");
  }

  /**
   * Scans {@code bad} with a good file and checks: exit 3, exactly one error line on stderr,
   * naming the file and {@code line} (any line when -1), and containing {@code text}; the good
   * file's finding is in the report.
   */
  private CliRun expectError(Path bad, int line, String text) {
    CliRun run = scan(bad);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    List<String> errors = errorLines(run);
    assertThat(errors).as("stderr: " + run.err()).hasSize(1);
    String where = Pattern.quote(bad.toString()) + ":" + (line < 0 ? "\\d+" : String.valueOf(line)) + "(:\\d+)?: ";
    assertThat(errors.get(0)).matches("error: " + where + ".*").contains(text);
    assertThat(run.out()).contains("cluster.privileged-container").contains("zz-good.yaml");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    return run;
  }

  private static List<String> errorLines(CliRun run) {
    return run.err().lines().filter(l -> l.startsWith("error: ")).toList();
  }
}

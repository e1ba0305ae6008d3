package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not files, or that do not end: each is scanned with a good file, and must give
 * one input error naming it, exit 3, and the good file's finding, in bounded time (the timeout
 * only keeps a regression from hanging the build: before, a FIFO blocked forever and /dev/zero
 * ran out of memory).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NotAFileTest {
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
  void namedPipeIsNotOpened() throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe.yaml"));
    // opening a FIFO without a writer blocks: the scan ending at all shows it was not opened
    CliRun run = scan(fifo.toString());
    expectOneError(run, fifo + ": a named pipe (FIFO), not a regular file: not read");
  }

  @Test
  void namedPipeInADirectoryIsReportedNotSkipped() throws Exception {
    Path tree = Files.createDirectory(dir.resolve("tree"));
    Path fifo = mkfifo(tree.resolve("pipe.yaml"));
    CliRun run = scan(tree.toString());
    expectOneError(run, fifo + ": a named pipe (FIFO), not a regular file");
  }

  @Test
  void socketIsNotOpened() throws Exception {
    Path socket = dir.resolve("kapas.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      CliRun run = scan(socket.toString());
      expectOneError(run, socket + ": a socket, not a regular file: not read");
    }
  }

  @Test
  void devZeroIsACharacterDevice() {
    CliRun run = scan("/dev/zero");
    expectOneError(run, "/dev/zero: a character device, not a regular file: not read");
  }

  @Test
  void fileThatGrowsWhileReadIsReadNoFurtherThanItsSizeWhenOpened() throws Exception {
    Path growing = dir.resolve("growing.yaml");
    try (Writer w = Files.newBufferedWriter(growing)) {
      // over 4 MiB, so that it is read a piece at a time while the writer appends
      for (int i = 0; i < 40_000; i++) {
        w.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm" + i + "}\ndata: {k: "
            + "v".repeat(80) + "}\n");
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      byte[] more = "# appended while kapas reads\n".repeat(100).getBytes(StandardCharsets.UTF_8);
      try {
        while (!stop.get()) {
          Files.write(growing, more, StandardOpenOption.APPEND);
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        // the test's assertions tell whether the file grew
      }
    });
    writer.start();
    try {
      while (Files.size(growing) < 4_800_000) {
        Thread.sleep(5); // the writer is demonstrably appending before the scan starts
      }
      CliRun run = scan(growing.toString());
      expectOneError(run, growing + ": the file grew while it was read (it had ");
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  @Test
  void thirtyMegabytesOfOneDuplicatedKeyListTheFirstHundredErrors() throws IOException {
    Path dup = dir.resolve("dup.yaml");
    try (Writer w = Files.newBufferedWriter(dup)) {
      w.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata:\n");
      for (int i = 0; i < 4_500_000; i++) {
        w.write("  k: v\n");
      }
    }
    assertThat(Files.size(dup)).isGreaterThan(30_000_000);
    CliRun run = scan(dup.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errors).hasSize(101);
    assertThat(errors.get(0)).isEqualTo("error: " + dup + ":6:3: duplicate key `k` (first at line 5); the last "
        + "value is used, as the API server would");
    assertThat(errors.get(100)).isEqualTo("error: " + dup + ": and " + (4_500_000 - 1 - 100)
        + " more errors in this file (the first 100 are listed)");
    assertThat(run.out()).contains("zz-good.yaml").contains("cluster.privileged-container");
  }

  // --- helpers

  private static Path mkfifo(Path path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    return path;
  }

  /** Scans {@code bad} and a good file, JSON report on stdout. */
  private CliRun scan(String bad) {
    Path good = dir.resolve("zz-good.yaml");
    try {
      Files.writeString(good, GOOD);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return CliRun.in(dir, "scan", bad, good.toString(), "-f", "json");
  }

  /** Exit 3, one error line on stderr starting with {@code start}, and the good file scanned. */
  private static void expectOneError(CliRun run, String start) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errors).as(run.err()).hasSize(1);
    assertThat(errors.get(0)).startsWith("error: " + start);
    assertThat(run.out()).contains("zz-good.yaml").contains("cluster.privileged-container");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}

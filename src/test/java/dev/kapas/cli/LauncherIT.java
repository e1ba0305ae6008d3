package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kapas, the launcher README and the benchmark use: it gives the jar's results, makes its
 * class-data-sharing archive on first use, and the archive it makes is one the JVM can map.
 */
class LauncherIT {
  private static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private record Run(int exit, String out) {}

  private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return run(env, null, args);
  }

  /** {@code stdin}: a file to redirect stdin from, or null for a pipe that is closed at once. */
  private static Run run(Map<String, String> env, Path stdin, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(args).directory(PROJECT.toFile()).redirectErrorStream(true);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    pb.environment().putAll(env);
    pb.environment().put("PATH", Path.of(JAVA).getParent() + ":" + System.getenv("PATH"));
    Process p = pb.start();
    if (stdin == null) {
      p.getOutputStream().close();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theLauncherMakesAUsableArchiveAndScansAsTheJarDoes(@TempDir Path dir) throws IOException, InterruptedException {
    // a copy of the jar, so that the archive is made beside it and not beside target/kapas.jar
    Path jar = dir.resolve("kapas.jar");
    Files.copy(PROJECT.resolve("target/kapas.jar"), jar);
    Path archive = dir.resolve("kapas.jar.jsa");
    List<String> scan = List.of("scan", "examples/shop", "-f", "json", "--no-color");

    List<String> plain = new ArrayList<>(List.of(JAVA, "-jar", jar.toString()));
    plain.addAll(scan);
    Run expected = run(Map.of(), plain.toArray(String[]::new));
    assertThat(expected.exit()).as(expected.out()).isEqualTo(1);

    List<String> launcher = new ArrayList<>(List.of("bash", "bin/kapas"));
    launcher.addAll(scan);
    Run first = run(Map.of("KAPAS_JAR", jar.toString()), launcher.toArray(String[]::new));
    assertThat(first.exit()).isEqualTo(expected.exit());
    // the wait is said in one line (on stderr; merged with stdout here), then the same report
    String making = "kapas: making the class-data archive for a faster start (once per build, a few seconds): "
        + archive + "\n";
    assertThat(first.out()).isEqualTo(making + expected.out());
    assertThat(archive).isNotEmptyFile();

    // -Xshare:on: the JVM refuses to start unless it maps the archive
    Run mapped = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA_OPTS", "-Xshare:on"),
        launcher.toArray(String[]::new));
    assertThat(mapped.out()).isEqualTo(expected.out());

    // a jar newer than its archive (a rebuild) gets a new archive, never the stale one
    Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    FileTime stale = Files.getLastModifiedTime(archive);
    Run rebuilt = run(Map.of("KAPAS_JAR", jar.toString()), launcher.toArray(String[]::new));
    assertThat(rebuilt.out()).isEqualTo(making + expected.out());
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(stale);
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));
  }

  /**
   * Small inputs get the parallel collector, large ones the serial collector that keeps the heap
   * near the live data. Stdin counts by its size when it is a file; a pipe may bring a whole
   * cluster's objects, so it counts as large, and so does kapas cluster.
   */
  @Test
  void theCollectorFollowsTheInputSizeAndAPipeCountsAsLarge(@TempDir Path dir) throws IOException, InterruptedException {
    Map<String, String> env = Map.of("KAPAS_CDS", "0", "KAPAS_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
    Path small = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
    Path large = dir.resolve("large.yaml");
    Files.writeString(large, ("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: \""
        + "v".repeat(1000) + "\"\n").repeat(34_000));
    assertThat(Files.size(large)).isGreaterThan(32L << 20);

    assertThat(run(env, "bash", "bin/kapas", "scan", small.toString()).out()).contains("-XX:+UseParallelGC");
    assertThat(run(env, "bash", "bin/kapas", "scan", large.toString(), "-f", "json", "-o", dir.resolve("r.json").toString())
        .out()).contains("-XX:+UseSerialGC");
    assertThat(run(env, small, "bash", "bin/kapas", "scan", "-").out()).contains("-XX:+UseParallelGC");
    assertThat(run(env, large, "bash", "bin/kapas", "scan", "-", "-f", "json", "-o", dir.resolve("s.json").toString())
        .out()).contains("-XX:+UseSerialGC");
    Run piped = run(env, (Path) null, "bash", "bin/kapas", "scan", "-");
    assertThat(piped.out()).contains("-XX:+UseSerialGC");
    // a live cluster may hold any number of objects
    assertThat(run(env, "bash", "bin/kapas", "cluster", "--help").out()).contains("-XX:+UseSerialGC");
    assertThat(run(env, "bash", "bin/kapas", "rules").out()).contains("-XX:+UseParallelGC");
  }

  @Test
  void mvnPackageMadeTheArchiveSoTheFirstRunSaysNothingAboutIt() throws IOException, InterruptedException {
    Path archive = PROJECT.resolve("target/kapas.jar.jsa");
    assertThat(archive).as("made by the exec plugin in the package phase").isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(
        Files.getLastModifiedTime(PROJECT.resolve("target/kapas.jar")));
    Run run = run(Map.of(), "bash", "bin/kapas", "--version");
    assertThat(run.out()).doesNotContain("making the class-data archive").startsWith("kapas ");
  }
}

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
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kapas, the launcher README and the benchmark use: it gives the jar's results, makes its
 * class cache on first use (Java 17: a class-data-sharing archive; Java 25: an ahead-of-time
 * cache), and the cache it makes is one the JVM maps; a stale, truncated or foreign cache never
 * breaks a run.
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
    return run(PROJECT, env, stdin, args);
  }

  private static Run run(Path workingDir, Map<String, String> env, Path stdin, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(args).directory(workingDir.toFile()).redirectErrorStream(true);
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
    Run first = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", JAVA), launcher.toArray(String[]::new));
    assertThat(first.exit()).isEqualTo(expected.exit());
    // the wait is said in one line (on stderr; merged with stdout here), then the same report
    String making = "kapas: making the class-data archive for a faster start (once per build, a few seconds): "
        + archive + "\n";
    assertThat(first.out()).isEqualTo(making + expected.out());
    assertThat(archive).isNotEmptyFile();

    // -Xshare:on: the JVM refuses to start unless it maps the archive
    Run mapped = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", JAVA, "KAPAS_JAVA_OPTS", "-Xshare:on"),
        launcher.toArray(String[]::new));
    assertThat(mapped.out()).isEqualTo(expected.out());

    // a jar newer than its archive (a rebuild) gets a new archive, never the stale one
    Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    FileTime stale = Files.getLastModifiedTime(archive);
    Run rebuilt = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", JAVA), launcher.toArray(String[]::new));
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

  /** The first JDK of feature version 25 or later where the launcher looks for one, if any. */
  static Optional<Path> java25() throws IOException {
    List<Path> homes = new ArrayList<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isEmpty()) {
      homes.add(Path.of(javaHome));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> list = Files.list(jvms)) {
        list.sorted().forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path release = home.resolve("release");
      if (Files.isRegularFile(home.resolve("bin/java")) && Files.isRegularFile(release)) {
        for (String line : Files.readAllLines(release)) {
          if (line.startsWith("JAVA_VERSION=")) {
            String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
            String feature = v.split("[.+-]")[0];
            if (feature.matches("[0-9]+") && Integer.parseInt(feature) >= 25) {
              return Optional.of(home);
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Path requireJava25() throws IOException {
    Optional<Path> home = java25();
    if (home.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI: no Java 25 JDK under $JAVA_HOME or /usr/lib/jvm; .ci/run must install one");
    }
    Assumptions.assumeTrue(home.isPresent(), "no Java 25 JDK under $JAVA_HOME or /usr/lib/jvm: AOT cache not tested");
    return home.get();
  }

  private static Path onlyCache(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> caches = list.filter(p -> p.getFileName().toString().matches("kapas\\.jar\\.jdk-.*\\.aot")).toList();
      assertThat(caches).as("one AOT cache in " + dir).hasSize(1);
      return caches.get(0);
    }
  }

  /**
   * Java 25: the launcher makes an ahead-of-time cache on first use (saying so in one line), the
   * JVM maps it (-XX:AOTMode=on refuses to start otherwise, and its log says so), a rebuilt jar
   * gets a new cache, and a cache the JVM cannot use (garbage, truncated) leaves the run as it
   * would be without one.
   */
  @Test
  void withJava25TheLauncherMakesAnAotCacheTheJvmMapsAndABadOneNeverBreaksARun(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path jdk = requireJava25();
    Path jar = dir.resolve("kapas.jar");
    Files.copy(PROJECT.resolve("target/kapas.jar"), jar);
    List<String> scan = List.of("scan", "examples/shop", "-f", "json", "--no-color");
    List<String> plain = new ArrayList<>(List.of(JAVA, "-jar", jar.toString()));
    plain.addAll(scan);
    Run expected = run(Map.of(), plain.toArray(String[]::new));
    assertThat(expected.exit()).as(expected.out()).isEqualTo(1);
    List<String> launcher = new ArrayList<>(List.of("bash", "bin/kapas"));
    launcher.addAll(scan);
    String[] cmd = launcher.toArray(String[]::new);
    Map<String, String> env = Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString());

    Run first = run(env, cmd);
    Path cache = onlyCache(dir);
    assertThat(first.exit()).isEqualTo(expected.exit());
    assertThat(first.out()).startsWith("kapas: making the ahead-of-time cache for Java ")
        .contains("(once per build, a few seconds): " + cache + "\n");
    assertThat(first.out().substring(first.out().indexOf('\n') + 1)).isEqualTo(expected.out());
    assertThat(cache).isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(cache)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));

    // mapped: with -XX:AOTMode=on the JVM exits with an error unless it uses the cache
    Path log = dir.resolve("aot.log");
    Run mapped = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString(),
        "KAPAS_JAVA_OPTS", "-XX:AOTMode=on -Xlog:aot=info:file=" + log), cmd);
    assertThat(mapped.out()).isEqualTo(expected.out());
    assertThat(Files.readString(log)).contains("Opened AOT cache " + cache).contains("Mapped static");

    // a rebuilt jar (newer than its cache) gets a new cache, never the stale one
    Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    FileTime stale = Files.getLastModifiedTime(cache);
    Run rebuilt = run(env, cmd);
    assertThat(rebuilt.out()).isEqualTo(first.out());
    assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(stale);

    // caches the JVM rejects, newer than the jar so the launcher offers them: the run is the same
    byte[] good = Files.readAllBytes(cache);
    for (byte[] bad : List.of("not an AOT cache\n".getBytes(StandardCharsets.UTF_8),
        java.util.Arrays.copyOf(good, 100_000))) {
      Files.write(cache, bad);
      Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
      Run rejected = run(env, cmd);
      assertThat(rejected.exit()).isEqualTo(expected.exit());
      assertThat(rejected.out()).isEqualTo(expected.out());
    }
  }

  /**
   * Java 25: a scan with custom rules gets its own cache, trained with them (cel-java's classes),
   * which the JVM maps; the cache of the other runs stays as it was.
   */
  @Test
  void withJava25CustomRulesGetACacheOfTheirOwn(@TempDir Path dir) throws IOException, InterruptedException {
    Path jdk = requireJava25();
    Path jar = dir.resolve("kapas.jar");
    Files.copy(PROJECT.resolve("target/kapas.jar"), jar);
    List<String> scan = List.of("scan", "examples/policy-fixtures/fail/no-latest-tag.yaml", "--rules-dir",
        "examples/policies", "--rules", "custom.no-latest-tag", "-f", "json", "--no-color");
    List<String> plain = new ArrayList<>(List.of(JAVA, "-jar", jar.toString()));
    plain.addAll(scan);
    Run expected = run(Map.of(), plain.toArray(String[]::new));
    assertThat(expected.out()).contains("custom.no-latest-tag");
    List<String> launcher = new ArrayList<>(List.of("bash", "bin/kapas"));
    launcher.addAll(scan);
    String[] cmd = launcher.toArray(String[]::new);

    Run first = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString()), cmd);
    Path cache;
    try (Stream<Path> list = Files.list(dir)) {
      cache = list.filter(p -> p.getFileName().toString().matches("kapas\\.jar\\.cel-jdk-.*\\.aot")).findFirst()
          .orElseThrow(() -> new AssertionError("no cache for custom rules in " + dir));
    }
    assertThat(first.out()).contains("(once per build, a few seconds): " + cache + "\n").endsWith(expected.out());
    Path log = dir.resolve("aot.log");
    Run mapped = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString(),
        "KAPAS_JAVA_OPTS", "-XX:AOTMode=on -Xlog:aot=info:file=" + log), cmd);
    assertThat(mapped.out()).isEqualTo(expected.out());
    assertThat(Files.readString(log)).contains("Opened AOT cache " + cache);
    // a run without custom rules makes and uses the other cache
    run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString()), "bash", "bin/kapas", "--version");
    assertThat(onlyCache(dir)).isNotEqualTo(cache);
  }

  /** Two first runs at once: both give the report, and the cache left behind is one the JVM maps. */
  @Test
  void concurrentFirstRunsLeaveAUsableCache(@TempDir Path dir) throws Exception {
    Path jdk = requireJava25();
    Path jar = dir.resolve("kapas.jar");
    Files.copy(PROJECT.resolve("target/kapas.jar"), jar);
    Run expected = run(Map.of(), JAVA, "-jar", jar.toString(), "scan", "examples/shop", "-f", "json", "--no-color");
    Map<String, String> env = Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString());
    String[] cmd = {"bash", "bin/kapas", "scan", "examples/shop", "-f", "json", "--no-color"};
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> run(env, cmd));
      var b = pool.submit(() -> run(env, cmd));
      for (Run r : List.of(a.get(), b.get())) {
        assertThat(r.exit()).isEqualTo(expected.exit());
        // the one that made the cache said so first; the other ran without it or with it
        assertThat(r.out()).endsWith(expected.out());
      }
    } finally {
      pool.shutdownNow();
    }
    Path cache = onlyCache(dir);
    Run mapped = run(Map.of("KAPAS_JAR", jar.toString(), "KAPAS_JAVA", jdk.toString(), "KAPAS_JAVA_OPTS", "-XX:AOTMode=on"),
        cmd);
    assertThat(mapped.out()).isEqualTo(expected.out());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".config")))
          .as("no temporary files left").isEmpty();
    }
  }

  @Test
  void mvnPackageMadeTheCacheSoTheFirstRunSaysNothingAboutIt() throws IOException, InterruptedException {
    Path cache;
    if (java25().isPresent()) {
      cache = onlyCache(PROJECT.resolve("target"));
    } else {
      cache = PROJECT.resolve("target/kapas.jar.jsa");
    }
    assertThat(cache).as("made by the exec plugin in the package phase").isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(cache)).isGreaterThanOrEqualTo(
        Files.getLastModifiedTime(PROJECT.resolve("target/kapas.jar")));
    Run run = run(Map.of(), "bash", "bin/kapas", "--version");
    assertThat(run.out()).doesNotContain("making the").startsWith("kapas ");
  }

  /**
   * The launcher finds its directory without `dirname`/`cd`/`pwd`: run from another directory by a
   * relative path through `..`, it finds the jar and maps the cache made at package time (the JVM
   * is told to fail otherwise), without making another.
   */
  @Test
  void fromAnotherDirectoryByARelativePathTheLauncherUsesTheSameCache(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path elsewhere = Files.createDirectories(dir.resolve("a/b"));
    String launcher = elsewhere.relativize(PROJECT.resolve("bin/./kapas")).toString();
    assertThat(launcher).startsWith("../");
    String strict = java25().isPresent() ? "-XX:AOTMode=on" : "-Xshare:on";
    Run run = run(elsewhere, Map.of("KAPAS_JAVA_OPTS", strict), null, "bash", launcher, "--version");
    assertThat(run.out()).doesNotContain("making the").startsWith("kapas ");
    assertThat(run.exit()).isZero();
  }
}

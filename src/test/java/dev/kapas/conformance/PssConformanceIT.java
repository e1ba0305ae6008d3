package dev.kapas.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The upstream Pod Security Standards conformance suite ({@code ../shared/conformance/pss}), run
 * against the packaged jar: every fixture of every level and version, bare and wrapped in a
 * Deployment and a CronJob, must get the admission controller's verdict.
 *
 * <p>{@code -Dkapas.conformance.latestOnly=true} runs only the newest version of each level.
 */
class PssConformanceIT {
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

  @Test
  void upstreamFixturesGetTheAdmissionControllersVerdict() throws IOException, InterruptedException {
    Path project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path runner = project.resolveSibling("shared").resolve("conformance/pss/run.py");
    assumeTrue(Files.isRegularFile(runner),
        () -> "skipped: the conformance suite is not checked out beside the project (no " + runner + ")");
    assumeTrue(pythonAvailable(), "skipped: python3 is not on PATH, and the conformance runner needs it");
    Path jar = project.resolve("target/kapas.jar");
    assertThat(jar).as("the packaged jar (run through `mvn verify`)").isRegularFile();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of("python3", runner.toString(),
        "--kapas", quote(java) + " -jar " + quote(jar.toString()), "--wrap"));
    if (Boolean.getBoolean("kapas.conformance.latestOnly")) {
      command.add("--latest-only");
    }
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        System.out.println("pss conformance: " + line);
      }
    }
    int exit = process.waitFor();

    assertThat(lines).as("runner output (exit %d)", exit).isNotEmpty();
    String last = lines.get(lines.size() - 1);
    Matcher summary = SUMMARY.matcher(last);
    assertThat(summary.matches()).as("last line `%s` is the runner's summary; output:%n%s", last,
        String.join("\n", lines)).isTrue();
    assertThat(Integer.parseInt(summary.group(1))).as("cases passed").isPositive();
    assertThat(last).as("failing cases:%n%s", String.join("\n", lines)).endsWith(" 0 failed");
    assertThat(exit).isZero();
  }

  private static boolean pythonAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Quotes a path for the runner, which splits its --kapas argument like a POSIX shell. */
  private static String quote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}

package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real tools the catalogers are checked against (dpkg-query, rpm, npm, python3, go). A
 * missing tool skips the test with the reason on a developer machine and fails it in CI
 * ({@code CI=true}), where {@code scripts/test-servers.sh install} must have installed it.
 */
final class Oracle {
  private Oracle() {}

  /** The tool's path on PATH; skips (or, in CI, fails) the test when it is not there. */
  static Path require(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String reason = tool + " is not installed (Debian package " + debianPackage
        + "; scripts/test-servers.sh install adds it): the cataloger cannot be checked against it";
    if ("true".equals(System.getenv("CI"))) {
      fail(reason);
    }
    assumeTrue(false, reason);
    return Path.of(tool);
  }

  /** Runs a command, returns its standard output; a non-zero exit fails the test with the command's stderr. */
  static String run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path err = Files.createTempFile("oracle", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s finished", Arrays.toString(command)).isTrue();
    String stderr = Files.readString(err);
    Files.delete(err);
    assertThat(p.exitValue()).as("%s failed: %s", List.of(command), stderr).isZero();
    return out;
  }

  static String run(Path dir, String... command) throws IOException, InterruptedException {
    return run(dir, Map.of(), command);
  }
}

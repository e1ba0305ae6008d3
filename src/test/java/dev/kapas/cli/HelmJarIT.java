package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar renders a chart: Helm's native library and helm-java's service entry survive
 * shading, and a scan without charts does not load helm-java at all.
 */
class HelmJarIT {
  private static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private static String run(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(args).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void packagedJarRendersAChart() throws IOException, InterruptedException {
    String out = run(JAVA, "-jar", "target/kapas.jar", "scan", "examples/charts/webapp", "--no-color",
        "--rules", "cluster.privileged-container");
    assertThat(out).contains("examples/charts/webapp/templates/deployment.yaml:25")
        .contains("[value `securityContext.privileged` (examples/charts/webapp/values.yaml:9)]");
  }

  @Test
  void scanWithoutChartsDoesNotLoadHelm() throws IOException, InterruptedException {
    String out = run(JAVA, "-verbose:class", "-jar", "target/kapas.jar", "scan", "examples/shop", "--no-color");
    assertThat(out).contains("dev.kapas.cli.Main");
    assertThat(List.of(out.split("\n"))).noneMatch(line -> line.contains("com.marcnuri"));
  }
}

package dev.kapas.source.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child JVM that renders with the real Helm keeps its temporary files inside the scratch
 * directory the caller deletes: helm-java unpacks its 98 MB native library into a new temporary
 * directory at every start and never removes it, so a render that used the system's temporary
 * directory leaked 98 MB (and filled the disk of a machine that scans many charts).
 */
class HelmProcessTest {
  @TempDir Path dir;

  @Test
  void helmsNativeLibraryIsUnpackedInsideTheScratchDirectory() throws Exception {
    Path chart = dir.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: tiny\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "name: x\n");
    Files.writeString(chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n");
    Path work = Files.createDirectories(dir.resolve("work"));

    HelmProcess.Rendered rendered = HelmProcess.render(new HelmRenderer.Request(chart, "r", "default", "",
        List.of(), List.of(), 1 << 20), Duration.ofSeconds(120), work);

    assertThat(rendered.manifests()).contains("name: x");
    assertThat(librariesUnder(work.resolve("tmp"))).as("helm-java's unpacked library").isNotEmpty();
  }

  private static List<Path> librariesUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".so")).toList();
    }
  }
}

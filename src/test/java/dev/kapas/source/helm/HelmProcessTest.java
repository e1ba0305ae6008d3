package dev.kapas.source.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aRenderStoppedByItsTimeoutReturnsOnlyOnceTheChildHasEnded() throws Exception {
    Path chart = dir.resolve("slow");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: slow\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: slow\n"
        + "data:\n  {{- range until 100000000 }}{{ end }}\n  k: v\n");
    Path work = Files.createDirectories(dir.resolve("work"));

    java.util.Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toSet());
    // stopped while the child JVM starts or unpacks helm-java's library
    assertThatThrownBy(() -> HelmProcess.render(new HelmRenderer.Request(chart, "r", "default", "",
        List.of(), List.of(), 1 << 20), Duration.ofMillis(300), work))
        .isInstanceOf(HelmProcess.RenderException.class).hasMessageContaining("took longer than");

    List<ProcessHandle> left = ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).toList();
    assertThat(left).as("render children not yet ended").isEmpty();
    ChartSource.deleteTree(work);
    assertThat(work).doesNotExist();
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

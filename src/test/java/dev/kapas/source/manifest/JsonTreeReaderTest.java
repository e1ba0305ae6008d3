package dev.kapas.source.manifest;

import static dev.kapas.source.manifest.TreeAssert.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.Node;
import dev.kapas.source.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON fast path must build exactly the tree the YAML reader builds (values, plain flags,
 * lines, columns, key order), and give up on anything but clean JSON so the YAML reader reports it.
 */
class JsonTreeReaderTest {
  private static final YamlTreeReader.Limits LIMITS = YamlTreeReader.Limits.DEFAULT;

  @TempDir
  Path dir;

  @Test
  void buildsTheTreeTheYamlReaderBuilds() throws IOException {
    String json = """
        {
            "apiVersion": "v1",
            "kind": "List",
            "metadata": {"resourceVersion": "", "labels": {"café": "é", "n": "true"}},
            "items": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"},
                 "spec": {"replicas": 3, "ratio": 1.50, "big": 1e5, "neg": -0, "on": true,
                          "off": false, "none": null, "empty": {}, "nothing": [],
                          "nested": [[1, "2"], [{"x": "\\u00e9\\n\\/"}]]}},
                "scalar", 7, null, [], {}
            ]
        }
        """;
    Path file = write("list.json", json);
    Optional<Node> fast = new YamlTreeReader(LIMITS).readJson(file);
    assertThat(fast).isPresent();
    assertSameTree(fast.get(), yamlRoot(json), "$");
  }

  @Test
  void givesUpOnAnythingButCleanJson() throws IOException {
    YamlTreeReader reader = new YamlTreeReader(LIMITS);
    for (String bad : List.of("", "  ", "null", "\"text\"", "{\"a\": 1, \"a\": 2}", "{\"<<\": {}}",
        "{\"a\": 1} {\"b\": 2}", "{\"a\": 1", "{a: 1}", "{\"a\": 1} # comment", "[1, 2,]")) {
      assertThat(reader.readJson(write("bad.json", bad))).as(bad).isEmpty();
    }
    Files.write(dir.resolve("latin1.json"), "{\"a\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(reader.readJson(dir.resolve("latin1.json"))).isEmpty();
    YamlTreeReader tight = new YamlTreeReader(new YamlTreeReader.Limits(3, 5, 1000, 10));
    assertThat(tight.readJson(write("deep.json", "[[[[1]]]]"))).isEmpty();
    assertThat(tight.readJson(write("long.json", "[\"123456\"]"))).isEmpty();
    assertThat(tight.readJson(write("ok.json", "[[[\"12345\"]]]"))).isPresent();
  }

  @Test
  void badJsonFilesAreStillReportedByTheYamlReader() throws IOException {
    write("dup.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"kind\": \"Secret\", "
        + "\"metadata\": {\"name\": \"x\"}}");
    write("broken.json", "{\"apiVersion\": \"v1\",\n \"kind\": ");
    write("good.json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
        + " {\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"s\"}}]}");
    ManifestSource.Result result = new ManifestSource(new ByteArrayInputStream(new byte[0]), LIMITS)
        .read(List.of(dir.toString()), Progress.NONE);
    assertThat(result.objects()).extracting(o -> o.kind() + "/" + o.name() + "@" + o.origin().line())
        .containsExactly("Secret/x@1", "Service/s@2");
    assertThat(result.errors()).extracting(Diagnostic::message)
        .anyMatch(m -> m.startsWith("duplicate key `kind`"))
        .anyMatch(m -> m.startsWith("invalid YAML"));
  }

  @Test
  void readsTheGeneratedCorpusShape() throws IOException {
    StringBuilder json = new StringBuilder("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [\n");
    for (int i = 0; i < 50; i++) {
      json.append(i == 0 ? "" : ",\n").append("""
                  {
                      "apiVersion": "v1",
                      "kind": "Service",
                      "metadata": {
                          "name": "svc-%d",
                          "labels": {"app": "web"}
                      },
                      "spec": {"ports": [{"port": %d, "protocol": "TCP"}]}
                  }""".formatted(i, 8000 + i));
    }
    json.append("\n    ]\n}\n");
    Path file = write("corpus.json", json.toString());
    assertSameTree(new YamlTreeReader(LIMITS).readJson(file).orElseThrow(), yamlRoot(json.toString()), "$");
  }

  @Test
  void aListLargerThanTheDocumentLimitIsReadWhenEachItemIsWithinIt() throws IOException {
    YamlTreeReader small = new YamlTreeReader(new YamlTreeReader.Limits(512, 4 << 20, 2000, 100_000));
    String item = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p%d\"}}";
    StringBuilder list = new StringBuilder("{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n");
    for (int i = 0; i < 200; i++) {
      list.append(i == 0 ? "" : ",\n").append("    ").append(item.formatted(i));
    }
    list.append("\n  ],\n  \"kind\": \"List\"\n}\n");
    assertThat(list.length()).isGreaterThan(10_000);
    Node read = small.readJson(write("large-list.json", list.toString())).orElseThrow();
    assertSameTree(read, yamlRoot(list.toString()), "$");
    assertThat(read.get("items").items()).hasSize(200);

    // anything else of that size is still left to the YAML reader, which reports the limit
    String bigItem = list.toString().replace("\"p7\"", "\"" + "x".repeat(2100) + "\"");
    assertThat(small.readJson(write("big-item.json", bigItem))).isEmpty();
    String bigOutside = list.toString().replace("\"kind\": \"List\"", "\"kind\": \"List\", \"x\": \"" + "y".repeat(2100) + "\"");
    assertThat(small.readJson(write("big-outside.json", bigOutside))).isEmpty();
    String notAList = list.toString().replace("\"items\"", "\"things\"");
    assertThat(small.readJson(write("not-a-list.json", notAList))).isEmpty();
    assertThat(new YamlTreeReader(LIMITS).readJson(write("not-a-list.json", notAList))).isPresent();
  }

  @Test
  void aListOnStdinLargerThanTheDocumentLimitIsReadOnceAndWhatItCannotReadIsSaid() throws IOException {
    YamlTreeReader.Limits small = new YamlTreeReader.Limits(512, 4 << 20, 2000, 100_000);
    StringBuilder list = new StringBuilder("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n");
    for (int i = 0; i < 200; i++) {
      list.append(i == 0 ? "" : ",\n")
          .append("  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p").append(i).append("\"}}");
    }
    list.append("\n]}\n");
    Path file = write("large.json", list.toString());
    ManifestSource.Result fromFile = new ManifestSource(new ByteArrayInputStream(new byte[0]), small)
        .read(List.of(file.toString()), Progress.NONE);
    ManifestSource.Result fromStdin = stdin(small, list.toString());
    assertThat(fromStdin.errors()).isEmpty();
    assertThat(fromStdin.objects()).hasSize(200);
    assertThat(fromStdin.objects()).extracting(o -> o.name() + "@" + o.origin().line() + ":" + o.origin().column())
        .isEqualTo(fromFile.objects().stream().map(o -> o.name() + "@" + o.origin().line() + ":" + o.origin().column()).toList());

    String broken = list.toString().replace("\"p150\"}}", "\"p150\"}");
    assertThat(stdin(small, broken).errors()).singleElement()
        .satisfies(d -> assertThat(d.file() + ":" + d.line() + " " + d.message()).startsWith("-:153 invalid JSON: Unexpected character"));
    String duplicate = list.toString().replace("\"name\": \"p99\"", "\"name\": \"p99\", \"name\": \"again\"");
    assertThat(stdin(small, duplicate).errors()).extracting(d -> d.line() + " " + d.message())
        .containsExactly("101 duplicate key `name`");
    String notAList = list.toString().replace("\"items\"", "\"things\"");
    assertThat(stdin(small, notAList).errors()).extracting(Diagnostic::message)
        .containsExactly("a document is larger than the limit of 2000 characters (only a List's items may add up to more)");
  }

  private static ManifestSource.Result stdin(YamlTreeReader.Limits limits, String text) {
    return new ManifestSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limits)
        .read(List.of(ManifestSource.STDIN), Progress.NONE);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static Node yamlRoot(String text) {
    CollectingSink read = CollectingSink.read(text);
    assertThat(read.errors).isEmpty();
    assertThat(read.roots).hasSize(1);
    return read.roots.get(0);
  }
}

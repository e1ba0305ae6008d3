package dev.kapas.source.manifest;

import static dev.kapas.source.manifest.TreeAssert.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reading a stream in pieces must give what reading it whole through snakeyaml gives: the same
 * documents with the same numbers, lines and columns, and the same errors at the same lines.
 * Small piece sizes cut the test texts into many pieces, so that every document boundary is a
 * piece boundary somewhere, and pieces alternate between the fast path and snakeyaml.
 */
class PieceReaderTest {
  private static final YamlTreeReader.Limits LIMITS = YamlTreeReader.Limits.DEFAULT;

  /** What a reader delivered: numbered documents and {@code line:column message} errors. */
  private static final class Delivered implements YamlTreeReader.Sink {
    final List<Integer> numbers = new ArrayList<>();
    final List<Node> roots = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public void document(int index, Node root) {
      numbers.add(index);
      roots.add(root);
    }

    @Override
    public void error(int line, int column, String message) {
      errors.add(line + ":" + column + " " + message);
    }
  }

  private static Delivered whole(String yaml) {
    Delivered d = new Delivered();
    new YamlTreeReader(LIMITS).read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8, d);
    return d;
  }

  private static Delivered pieces(String yaml, int pieceBytes, int maxPieceBytes) {
    Delivered d = new Delivered();
    try {
      new PieceReader(new YamlTreeReader(LIMITS), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), d,
          pieceBytes, maxPieceBytes).read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d;
  }

  private static void assertSame(Delivered actual, Delivered expected, String what) {
    assertThat(actual.errors).as(what).isEqualTo(expected.errors);
    assertThat(actual.numbers).as(what).isEqualTo(expected.numbers);
    for (int i = 0; i < actual.roots.size(); i++) {
      if (actual.roots.get(i).isNull() && expected.roots.get(i).isNull()) {
        continue;
      }
      assertSameTree(actual.roots.get(i), expected.roots.get(i), what + "\ndocument " + expected.numbers.get(i) + " $");
    }
  }

  @Test
  void generatedStreamsReadTheSameInPieces() {
    Random random = new Random(20261129);
    for (int i = 0; i < 200; i++) {
      StringBuilder yaml = new StringBuilder();
      int parts = 1 + random.nextInt(12);
      for (int p = 0; p < parts; p++) {
        if (p > 0) {
          yaml.append("---\n");
        }
        // now and then a document only snakeyaml reads: its piece leaves the fast path
        yaml.append(switch (random.nextInt(5)) {
          case 0 -> "anchored: &a {x: 1}\nalias: *a\nfolded: >\n  two\n  lines\n";
          case 1 -> "# only a comment\n";
          default -> valid(random);
        });
      }
      String text = yaml.toString();
      Delivered expected = whole(text);
      assertThat(expected.errors).as(text).isEmpty();
      for (int pieceBytes : new int[] {1, 40, 200, 1 << 20}) {
        assertSame(pieces(text, pieceBytes, 1 << 20), expected, "pieces of " + pieceBytes + " bytes:\n" + text);
      }
    }
  }

  /** Generated documents that snakeyaml reads without an error (the generator can make others). */
  private static String valid(Random random) {
    while (true) {
      String yaml = new BlockYamlReaderTest.Generator(random).documents();
      if (whole(yaml).errors.isEmpty()) {
        return yaml;
      }
    }
  }

  @Test
  void everyYamlFileOfTheProjectReadsTheSameInPieces() throws IOException {
    List<Path> roots = new ArrayList<>(List.of(Path.of("src/test/resources"), Path.of("examples"), Path.of("deploy")));
    if (Files.isDirectory(Path.of("../shared/conformance"))) {
      roots.add(Path.of("../shared/conformance"));
    }
    int files = 0;
    for (Path root : roots) {
      List<Path> yamlFiles;
      try (Stream<Path> walk = Files.walk(root)) {
        yamlFiles = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : yamlFiles) {
        String text;
        try {
          text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
          continue;
        }
        if (text.startsWith("\ufeff")) {
          continue; // the caller skips a byte-order mark before either reader sees the text
        }
        Delivered expected = whole(text);
        if (!expected.errors.isEmpty()) {
          continue; // broken files: see aSyntaxErrorEndsOnlyItsPiece
        }
        files++;
        assertSame(pieces(text, 1, 1 << 20), expected, file.toString());
      }
    }
    assertThat(files).isGreaterThan(100);
  }

  @Test
  void aSyntaxErrorEndsOnlyItsPieceAndIsReportedAtItsLineInTheFile() {
    String text = "kind: A\n---\nkind: B\nbad: [1, 2\n---\nkind: C\n";
    Delivered expected = whole(text);
    Delivered actual = pieces(text, 1, 1 << 20);
    // read whole, the error ends the stream; in pieces, the third document is still read
    assertThat(expected.numbers).containsExactly(1);
    assertThat(actual.numbers).containsExactly(1, 3);
    assertThat(actual.roots.get(1).line()).isEqualTo(6);
    // the same place; whole, the parser met the next document's start, in pieces its piece's end
    assertThat(expected.errors).singleElement().asString().startsWith("5:1 invalid YAML: while parsing a flow sequence");
    assertThat(actual.errors).singleElement().asString().startsWith("5:1 invalid YAML: while parsing a flow sequence");
  }

  @Test
  void aDirectiveHandsTheRestToSnakeyaml() {
    String text = "kind: A\n---\nkind: B\n...\n%YAML 1.2\n---\nkind: C\nanchored: &x 1\nalias: *x\n";
    Delivered expected = whole(text);
    assertThat(expected.errors).isEmpty();
    assertThat(expected.numbers).hasSize(3);
    assertSame(pieces(text, 1, 1 << 20), expected, text);
  }

  @Test
  void aDocumentLargerThanTheLargestPieceIsStreamedWhole() {
    StringBuilder text = new StringBuilder("kind: A\n---\nkind: B\ndata:\n");
    for (int i = 0; i < 200; i++) {
      text.append("  key").append(i).append(": value ").append(i).append('\n');
    }
    text.append("---\nkind: C\nlong: ").append("x".repeat(5000)).append('\n');
    Delivered expected = whole(text.toString());
    assertSame(pieces(text.toString(), 1, 256), expected, "max piece 256 bytes");
    assertSame(pieces(text.toString(), 1, 1 << 20), expected, "max piece 1 MiB");
  }

  @Test
  void documentStartsAreOnlyThreeDashesAtColumnZero() {
    String text = "kind: A\ndata:\n  x: |\n    --- not a start\n  y: ---\n---word: 1\n--- # a start\nkind: B\n---\n";
    Delivered expected = whole(text);
    assertThat(expected.errors).isEmpty();
    assertSame(pieces(text, 1, 1 << 20), expected, text);
  }
}

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
    return pieces(yaml, pieceBytes, maxPieceBytes, LIMITS);
  }

  private static Delivered pieces(String yaml, int pieceBytes, int maxPieceBytes, YamlTreeReader.Limits limits) {
    Delivered d = new Delivered();
    try {
      new PieceReader(new YamlTreeReader(limits), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), d,
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

  @Test
  void generatedListsReadTheSameWhenCutBetweenTheirItems() {
    Random random = new Random(7);
    int cutLists = 0;
    for (int i = 0; i < 300; i++) {
      String text = streamWithAList(random);
      Delivered expected = whole(text);
      assertThat(expected.errors).as(text).isEmpty();
      for (int pieceBytes : new int[] {1, 40, 200, 1 << 20}) {
        assertSame(pieces(text, pieceBytes, 1 << 20), expected, "pieces of " + pieceBytes + " bytes:\n" + text);
      }
      cutLists++;
    }
    assertThat(cutLists).isEqualTo(300);
  }

  /** A List as kubectl, an API server or a YAML library writes it, among other documents. */
  private static String streamWithAList(Random random) {
    String indent = random.nextBoolean() ? "" : "  ";
    StringBuilder items = new StringBuilder();
    int count = random.nextInt(8);
    for (int n = 0; n < count; n++) {
      switch (random.nextInt(6)) {
        case 0 -> items.append("# between items\n\n");
        case 1 -> items.append(indent).append("  # indented comment\n");
        default -> { }
      }
      items.append(item(random, indent, n));
    }
    String list = switch (random.nextInt(4)) {
      case 0 -> "apiVersion: v1\nkind: PodList\nmetadata:\n  resourceVersion: \"7\"\nitems:\n" + items;
      case 1 -> "apiVersion: v1\nitems: # the objects\n" + items + "kind: List\n";
      default -> "apiVersion: v1\nitems:\n" + items + "kind: List\nmetadata:\n  resourceVersion: \"\"\n";
    };
    return switch (random.nextInt(4)) {
      case 0 -> "kind: Before\n---\n" + list + "---\nkind: After\n";
      case 1 -> list + "...\n---\nkind: After\nitems:\n- short\n";
      case 2 -> "---\n" + list;
      default -> list;
    };
  }

  private static String item(Random random, String indent, int n) {
    StringBuilder item = new StringBuilder();
    String inner = indent + "  ";
    if (random.nextInt(4) == 0) {
      item.append(indent).append("-\n").append(inner).append("apiVersion: v1\n");
    } else {
      item.append(indent).append("- apiVersion: v1\n");
    }
    item.append(inner).append("kind: ConfigMap\n").append(inner).append("metadata:\n")
        .append(inner).append("  name: item-").append(n).append('\n');
    switch (random.nextInt(5)) {
      case 0 -> item.append(inner).append("data:\n").append(inner).append("  folded: >\n")
          .append(inner).append("    two\n").append(inner).append("    lines\n")
          .append(inner).append("  anchored: &a x\n").append(inner).append("  alias: *a\n");
      case 1 -> item.append(inner).append("volumes:\n").append(inner).append("- name: v\n")
          .append(inner).append("  items:\n").append(inner).append("  - key: k\n");
      default -> {
        item.append(inner).append("spec:\n");
        for (String line : firstDocument(valid(random)).split("\n")) {
          item.append(line.isBlank() ? "" : inner + "  " + line).append('\n');
        }
      }
    }
    return item.toString();
  }

  /** The first document's lines of a generated stream, without document starts or comments before it. */
  private static String firstDocument(String stream) {
    StringBuilder first = new StringBuilder();
    boolean started = false;
    for (String line : stream.split("\n", -1)) {
      if (line.startsWith("---")) {
        if (started) {
          break;
        }
        continue;
      }
      if (!started && (line.startsWith("#") || line.isBlank())) {
        continue;
      }
      started = true;
      first.append(line).append('\n');
    }
    return first.toString();
  }

  @Test
  void aListLargerThanTheDocumentLimitIsReadAPartAtATime() {
    StringBuilder text = new StringBuilder("kind: A\n---\napiVersion: v1\nitems:\n");
    for (int i = 0; i < 200; i++) {
      text.append("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: pod-").append(i).append('\n');
    }
    text.append("kind: List\nmetadata:\n  resourceVersion: \"\"\n---\nkind: B\n");
    YamlTreeReader.Limits small = new YamlTreeReader.Limits(512, 4 << 20, 2000, 100_000);
    Delivered limited = new Delivered();
    new YamlTreeReader(small).read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8, limited);
    assertThat(limited.errors).singleElement().asString().contains("larger than the limit");

    Delivered actual = pieces(text.toString(), 500, 1000, small);
    assertSame(actual, whole(text.toString()), "a 9 kB List in parts of about 500 bytes");
    assertThat(actual.roots.get(1).get("items").items()).hasSize(200);
    assertThat(actual.roots.get(1).get("items").get(199).line()).isEqualTo(5 + 199 * 4);
  }

  @Test
  void aSyntaxErrorInOnePartOfAListLosesOnlyThatPart() {
    String text = "apiVersion: v1\nitems:\n- kind: A\n- kind: B\n  bad: [1, 2\n- kind: C\nkind: List\n---\nkind: D\n";
    Delivered actual = pieces(text, 1, 1 << 20);
    assertThat(actual.errors).singleElement().asString().startsWith("6:1 invalid YAML: while parsing a flow sequence");
    assertThat(actual.numbers).containsExactly(1, 2);
    Node list = actual.roots.get(0);
    assertThat(list.get("kind").text()).contains("List");
    assertThat(list.get("items").items()).extracting(item -> item.get("kind").textOr(""), item -> item.line())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("A", 3), org.assertj.core.groups.Tuple.tuple("C", 6));
  }

  @Test
  void keysAfterTheItemsThatRepeatOneBeforeThemAreReportedAsTheWholeTextWouldBe() {
    String text = "kind: List\nitems:\n- kind: A\n- kind: B\nkind: List\n";
    Delivered expected = whole(text);
    assertThat(expected.errors).singleElement().asString().contains("duplicate key `kind`");
    assertSame(pieces(text, 1, 1 << 20), expected, text);
  }
}

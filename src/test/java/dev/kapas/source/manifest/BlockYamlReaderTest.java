package dev.kapas.source.manifest;

import static dev.kapas.source.manifest.TreeAssert.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The block-YAML fast path must build exactly the trees snakeyaml's path builds (values, plain
 * flags, key order, lines, columns, documents), and give up on everything else, so that errors
 * are still reported by snakeyaml's path. Checked on hand-written cases, on every YAML file of
 * the repository (and the PSS conformance suite when it is checked out beside it), and on
 * generated documents.
 */
class BlockYamlReaderTest {
  private static final YamlTreeReader.Limits LIMITS = YamlTreeReader.Limits.DEFAULT;

  @Test
  void readsTheCommonShapesExactlyAsSnakeyaml() {
    List<String> accepted = List.of(
        "a: 1\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {}\nspec:\n  containers: []\n",
        "# lead\n---\n# comment\nkind: A   # trailing\n---\nkind: B\n...\n".replace("...\n", ""),
        "spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    args: [\"-c\", 'x y', plain]\n"
            + "  volumes:\n    - name: v\n      emptyDir: {}\n",
        "data:\n  script: |\n    echo 1\n\n      indented\n    done\n  strip: |-\n    x\n\n"
            + "  keep: |+\n    y\n\n\nnext: 1\n",
        "\"quoted key\": \"esc \\\" \\\\ \\n \\u00e9 \\/\"\n'single': 'it''s'\nurl: http://x:80/a#frag\n",
        "empty:\nafter: # only a comment\nlast:\n",
        "---\n---\nkind: A\n---\n",
        "list:\n- a\n- 'b'\n- \"c\"\n- [ ]\n- {}\n-   spaced: 1\n    more: 2\n",
        "- top\n- level: seq\n",
        "k:   value with  spaces   \nneg: -1\nq: ?x\nc: :x\nv: a:b\nw: a#b\n",
        "unicode: café ☕\nkey with space: v\n",
        "a:\n    b:\n        c: deep\n    d: 1\n",
        "a: |\n x\n");
    for (String yaml : accepted) {
      Optional<List<Node>> fast = fast(yaml);
      assertThat(fast).as("fast path took:\n" + yaml).isPresent();
      assertSameDocuments(fast.get(), yaml);
    }
  }

  @Test
  void givesUpOnAnythingElse() {
    List<String> refused = List.of(
        "", "# only a comment\n", "just a scalar\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n",
        "a: 1\na: 2\n", "a:\n\tb: 1\n", "a: 1\r\nb: 2\r\n", "a: >\n  folded\n", "a: |2\n  x\n",
        "a: multi\n  line\n", "a: \"multi\n  line\"\n", "a: {b: 1}\n", "a: [1, [2]]\n", "a: [1,\n 2]\n",
        "- - nested\n", "-\n  a: 1\n", "? complex\n: value\n", "a: b: c\n", "  indented: top\n",
        "%YAML 1.2\n---\na: 1\n", "a: 1\n...\n", "\ufeffa: 1\n", "a: \"\\x41\"\n", "a:\n  - x\n b: 1\n",
        "a: 1\n b: 2\n", "a:\n  b: |\n  x\n", "a: 1\n- b\n", "a: \"x\" y\n", "a: 😀\n", "key:value\n",
        "a: - b\n", "a: @x\n", "--- a: 1\n");
    assertThat(refused.stream().filter(yaml -> fast(yaml).isPresent())).as("should fall back").isEmpty();
  }

  @Test
  void agreesWithSnakeyamlOnEveryYamlFileOfTheProject() throws IOException {
    List<Path> roots = new ArrayList<>(List.of(Path.of("src/test/resources"), Path.of("examples"), Path.of("deploy")));
    Path conformance = Path.of("../shared/conformance");
    if (Files.isDirectory(conformance)) {
      roots.add(conformance);
    }
    int files = 0;
    int fastFiles = 0;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> yamlFiles;
      try (Stream<Path> walk = Files.walk(root)) {
        yamlFiles = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : yamlFiles) {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
          text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
          continue;
        }
        files++;
        Optional<List<Node>> fast = fast(text);
        if (fast.isPresent()) {
          fastFiles++;
          assertSameDocuments(fast.get(), text, file.toString());
        }
      }
    }
    assertThat(files).isGreaterThan(100);
    // Most manifests are plain block YAML; if the fast path stops taking them, it is broken.
    assertThat(fastFiles).as(fastFiles + " of " + files + " files on the fast path").isGreaterThan(files / 2);
  }

  @Test
  void agreesWithSnakeyamlOnGeneratedDocuments() {
    Random random = new Random(20261128);
    int taken = 0;
    for (int i = 0; i < 3000; i++) {
      String yaml = new Generator(random).documents();
      Optional<List<Node>> fast = fast(yaml);
      if (fast.isPresent()) {
        taken++;
        assertSameDocuments(fast.get(), yaml, "generated #" + i + ":\n" + yaml);
      }
    }
    assertThat(taken).isGreaterThan(1500);
  }

  private static Optional<List<Node>> fast(String yaml) {
    return new BlockYamlReader(LIMITS.maxScalarChars(), new YamlTreeReader.StringCache(),
        new YamlTreeReader.KeyCache()).read(yaml);
  }

  private static void assertSameDocuments(List<Node> fast, String yaml) {
    assertSameDocuments(fast, yaml, yaml);
  }

  private static void assertSameDocuments(List<Node> fast, String yaml, String what) {
    CollectingSink slow = CollectingSink.read(yaml);
    assertThat(slow.errors).as(what).isEmpty();
    assertThat(fast).as(what).hasSize(slow.roots.size());
    for (int i = 0; i < fast.size(); i++) {
      if (fast.get(i).isNull() && slow.roots.get(i).isNull()) {
        continue; // empty documents are skipped whatever their position
      }
      assertSameTree(fast.get(i), slow.roots.get(i), what + "\ndocument " + (i + 1) + " $");
    }
  }

  /** Random block YAML in the shapes manifests take, with some constructs the fast path refuses. */
  static final class Generator {
    private static final String[] WORDS = {"name", "app", "image", "nginx:1.25", "true", "80", "a b",
        "x-y", "http://h:1/p", "café", "-1", "~", "null", "a#b", "v1", "10Mi", "0.5", "key with space"};
    private final Random random;
    private final StringBuilder out = new StringBuilder();
    private final int step;

    Generator(Random random) {
      this.random = random;
      this.step = random.nextBoolean() ? 2 : 4;
    }

    String documents() {
      int docs = 1 + random.nextInt(3);
      if (random.nextInt(4) == 0) {
        out.append("# header\n");
      }
      for (int d = 0; d < docs; d++) {
        if (d > 0 || random.nextBoolean()) {
          out.append("---\n");
        }
        map(0, 0);
      }
      return out.toString();
    }

    private void map(int indent, int depth) {
      int n = 1 + random.nextInt(4);
      for (int i = 0; i < n; i++) {
        pad(indent);
        out.append(word()).append(i == 0 ? "" : String.valueOf(i)).append(':');
        entryValue(indent, depth);
      }
    }

    /** After {@code key:} or {@code - }: a scalar on the line, or a collection below. */
    private void entryValue(int indent, int depth) {
      int kind = depth > 4 ? 0 : random.nextInt(10);
      switch (kind) {
        case 0, 1, 2, 3 -> out.append(' ').append(scalar()).append(comment()).append('\n');
        case 4, 5 -> {
          out.append(comment()).append('\n');
          blankLine();
          map(indent + step, depth + 1);
        }
        case 6, 7 -> {
          out.append('\n');
          sequence(random.nextBoolean() ? indent : indent + step, depth + 1);
        }
        case 8 -> {
          out.append(" |").append(random.nextBoolean() ? "" : random.nextBoolean() ? "-" : "+").append('\n');
          int lines = 1 + random.nextInt(3);
          for (int i = 0; i < lines; i++) {
            if (random.nextInt(4) == 0) {
              out.append('\n');
            }
            pad(indent + step + (random.nextInt(5) == 0 ? 2 : 0));
            out.append(word()).append('\n');
          }
        }
        default -> out.append(' ').append(random.nextBoolean() ? "[]" : "[" + scalar() + ", " + scalar() + "]")
            .append('\n');
      }
    }

    private void sequence(int indent, int depth) {
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        pad(indent);
        out.append("- ");
        if (random.nextBoolean()) {
          out.append(word()).append(':');
          entryValue(indent + 2, depth + 1);
          if (random.nextBoolean()) {
            pad(indent + 2);
            out.append("second").append(i).append(": ").append(scalar()).append('\n');
          }
        } else {
          out.append(scalar()).append(comment()).append('\n');
        }
      }
    }

    private String scalar() {
      String w = word();
      return switch (random.nextInt(6)) {
        case 0 -> "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        case 1 -> "'" + w.replace("'", "''") + "'";
        default -> w;
      };
    }

    private String word() {
      return WORDS[random.nextInt(WORDS.length)];
    }

    private String comment() {
      return random.nextInt(8) == 0 ? " # note" : "";
    }

    private void blankLine() {
      if (random.nextInt(6) == 0) {
        out.append(random.nextBoolean() ? "\n" : "  # comment line\n");
      }
    }

    private void pad(int n) {
      out.append(" ".repeat(n));
    }
  }
}

package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes CEL library vectors (conformance/cel, from Kubernetes v1.36.3's own tests; see
 * NOTES.md there), every row: a {@code value} row must equal its expected value under CEL {@code
 * ==}, an {@code error} row must compile and fail at run time, a {@code compile_error} row must
 * not compile. The error texts are Go's, so only the stage is compared (NOTES.md, point 7).
 */
class CelConformanceTest {
  private static final KubeCel ENV = KubeCel.withVariables(List.of("self", "a", "b"));

  /**
   * Rows that cannot pass on kapas, each with the reason. The test checks they still fail the same
   * way, so a fix shows up here.
   */
  private static final Map<String, String> DEVIATIONS = Map.of(
      "library_self.tsv:36",
      "the API server types self.emptyDurations from the CRD schema as list(duration), so sum() of"
          + " the empty list is duration('0'); kapas (like a VAP's dyn object) only sees an empty"
          + " list and sums it to the int 0");

  record Row(String file, int number, String library, String expression, String expected, String kind,
      String self) {
    @Override
    public String toString() {
      return file + ":" + number + " [" + library + "] " + expression;
    }
  }

  static Stream<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String file : List.of("library.tsv", "library_self.tsv")) {
      List<String> lines = lines(file);
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).split("\t", -1);
        rows.add(new Row(file, i, f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : ""));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void row(Row row) throws Exception {
    Map<String, Object> vars = row.self().isEmpty() ? Map.of() : Map.of("self", evaluate(row.self()));
    switch (row.kind()) {
      case "value" -> {
        if (DEVIATIONS.containsKey(row.file() + ":" + row.number())) {
          assertThat(ENV.compile(row.expression()).eval(vars)).as(DEVIATIONS.get(row.file() + ":" + row.number()))
              .isEqualTo(false);
          return;
        }
        Object actual = ENV.compile(row.expression()).eval(vars);
        Object expected = evaluate(row.expected());
        Object equal = ENV.compile("a == b").eval(Map.of("a", actual, "b", expected));
        assertThat(equal).as("%s gave %s, expected %s", row.expression(), actual, expected).isEqualTo(true);
      }
      case "error" -> {
        KubeCel.Program program = ENV.compile(row.expression());
        Optional<String> failure = failure(program, vars);
        assertThat(failure).as("%s must fail at run time (Go: %s)", row.expression(), row.expected()).isPresent();
      }
      case "compile_error" -> assertThat(compileFailure(row.expression()))
          .as("%s must not compile (Go: %s)", row.expression(), row.expected()).isPresent();
      default -> throw new AssertionError("unknown kind " + row.kind());
    }
  }

  @Test
  void everyRowIsRun() throws IOException {
    assertThat(rows().filter(r -> r.file().equals("library.tsv"))).hasSize(517);
    assertThat(rows().filter(r -> r.file().equals("library_self.tsv"))).hasSize(207);
  }

  static Stream<String[]> escapes() throws IOException {
    return lines("escaping.tsv").stream().skip(1).map(l -> l.split("\t", -1));
  }

  @ParameterizedTest(name = "escape {0}")
  @MethodSource("escapes")
  void escaping(String name, String escaped) {
    if (escaped.equals("!unescapable")) {
      assertThat(Escaping.escape(name)).isEmpty();
    } else {
      assertThat(Escaping.escape(name)).contains(escaped);
      assertThat(Escaping.unescape(escaped)).contains(name);
    }
  }

  @Test
  void malformedEscapesDoNotUnescape() throws IOException {
    List<String> invalid = lines("unescape_invalid.txt").stream().filter(l -> !l.isBlank()).toList();
    assertThat(invalid).hasSize(2);
    for (String escaped : invalid) {
      assertThat(Escaping.unescape(escaped)).as(escaped).isEmpty();
    }
  }

  private static Object evaluate(String expression) throws Exception {
    return ENV.compile(expression).eval(Map.of());
  }

  private static Optional<String> failure(KubeCel.Program program, Map<String, Object> vars) {
    try {
      program.eval(vars);
      return Optional.empty();
    } catch (CelEvalError e) {
      return Optional.of(e.getMessage());
    }
  }

  private static Optional<String> compileFailure(String expression) {
    try {
      ENV.compile(expression);
      return Optional.empty();
    } catch (CelCompileError e) {
      return Optional.of(e.getMessage());
    }
  }

  private static List<String> lines(String file) throws IOException {
    try (InputStream in = CelConformanceTest.class.getResourceAsStream("/conformance/cel/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}

package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checked expressions kept on disk ({@link CheckedCache}): an environment that reads them gives
 * the same values, errors and metadata as one that compiles from the text, on the fast path and
 * on cel-java's interpreter, without building cel-java's environment for what the fast path
 * answers.
 */
class CheckedCacheTest {
  private static final List<String> EXPRESSIONS = List.of(
      "object.spec.template.spec.containers.all(c, params.registries.exists(r, c.image.startsWith(r)))",
      "'images: ' + object.spec.template.spec.containers.map(c, c.image).join(', ')",
      "!quantity(string(object.spec.template.spec.containers[0].resources.limits.memory)).isLessThan(quantity('64Mi'))",
      "object.spec.template.spec.containers.all(c, c.resources.limits.memory != '')", // fails on the second container
      "object.spec.replicas / 0 == 1",
      "object.metadata.labels.x__dash__y == 'dashed' && object.spec.?strategy.orValue('none') == 'none'",
      "url('https://example.com:8080/a?b=c').getPort() == '8080' && ip('10.0.0.1').family() == 4",
      "object.spec.template.spec.containers.sortBy(c, c.name).map(c, c.name) == ['app', 'side']");

  private static Map<String, Object> vars() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", CelValues.of(FastEvalTest.yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {x-y: dashed}}
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - {name: side, image: busybox}
              - {name: app, image: registry.example.com/app:1.2, resources: {limits: {memory: 512Mi}}}
        """)));
    vars.put("params", CelValues.ofPlain(Map.of("registries", List.of("registry.example.com/"))));
    return vars;
  }

  @Test
  void anEnvironmentReadingTheCacheAnswersAsOneCompilingTheText(@TempDir Path dir) throws Exception {
    KubeCel fresh = KubeCel.withVariables(CelRules.VARIABLES, null);
    KubeCel writer = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1"));
    for (String e : EXPRESSIONS) {
      writer.compile(e);
    }
    assertThat(entries(dir)).hasSize(EXPRESSIONS.size());
    KubeCel reader = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1"));
    for (String e : EXPRESSIONS) {
      KubeCel.Program expected = fresh.compile(e);
      KubeCel.Program cached = reader.compile(e);
      assertThat(cached.resultType()).as(e).isEqualTo(expected.resultType());
      assertThat(cached.cost()).as(e).isEqualTo(expected.cost());
      assertThat(cached.fast()).as(e).isEqualTo(expected.fast());
      assertThat(outcome(() -> cached.eval(vars()))).as(e).isEqualTo(outcome(() -> expected.eval(vars())));
      assertThat(outcome(() -> cached.evalCelJava(vars()))).as(e)
          .isEqualTo(outcome(() -> expected.evalCelJava(vars())));
    }
  }

  @Test
  void whatTheFastPathAnswersFromTheCacheNeedsNoCelJavaEnvironment(@TempDir Path dir) throws Exception {
    String e = EXPRESSIONS.get(0);
    KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1")).compile(e);
    KubeCel reader = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1"));
    assertThat(reader.compile(e).eval(vars())).isEqualTo(false);
    assertThat(reader.celBuilt()).isFalse();
    KubeCel other = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-2"));
    other.compile(e); // another build of kapas: its own entry
    assertThat(other.celBuilt()).isTrue();
  }

  @Test
  void errorsAreNotKeptAndBadEntriesAreIgnored(@TempDir Path dir) throws Exception {
    KubeCel env = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1"));
    assertThatThrownBy(() -> env.compile("object.spec.replicas +")).isInstanceOf(CelCompileError.class);
    assertThat(entries(dir)).isEmpty();
    String e = EXPRESSIONS.get(1);
    env.compile(e);
    Path entry = entries(dir).get(0);
    Files.write(entry, java.util.Arrays.copyOf(Files.readAllBytes(entry), 40)); // truncated
    KubeCel reader = KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1"));
    assertThat(reader.compile(e).eval(vars())).isEqualTo("images: busybox, registry.example.com/app:1.2");
    assertThat(reader.celBuilt()).isTrue(); // compiled from the text, and the entry written anew
    assertThat(Files.size(entry)).isGreaterThan(40);
  }

  @Test
  void aNewBuildDropsTheEntriesOfOlderOnes(@TempDir Path dir) throws Exception {
    KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1")).compile(EXPRESSIONS.get(0));
    KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-1")).compile(EXPRESSIONS.get(1));
    List<Path> first = entries(dir);
    assertThat(first).hasSize(2);
    KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(dir, "build-2")).compile(EXPRESSIONS.get(0));
    List<Path> now = entries(dir);
    assertThat(now).hasSize(1).doesNotContainAnyElementsOf(first);
    try (Stream<Path> builds = Files.list(dir)) {
      assertThat(builds.toList()).hasSize(1);
    }
  }

  /** Every entry file under {@code dir}, of any build. */
  private static List<Path> entries(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private interface Eval {
    Object run() throws CelEvalError;
  }

  private static Object outcome(Eval eval) {
    try {
      return eval.run();
    } catch (CelEvalError e) {
      return "error: " + e.getMessage();
    }
  }
}

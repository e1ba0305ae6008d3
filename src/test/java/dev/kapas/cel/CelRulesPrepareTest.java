package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Rule;
import dev.kapas.policy.CustomRules;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server builds cel-java's environment before its first request ({@link CelRules#awaitAndPrepare});
 * a scan whose expressions all come checked from the cache beside the jar and take the fast path
 * never builds it. The shared environment is a static of {@link CelRules}: each test sets it (by
 * reflection, for this test only) to one reading a cache it filled, and leaves none behind.
 */
class CelRulesPrepareTest {
  @TempDir Path cache;

  @AfterEach
  void reset() throws Exception {
    setEnvironment(null);
  }

  private static void setEnvironment(KubeCel env) throws Exception {
    Field f = CelRules.class.getDeclaredField("environment");
    f.setAccessible(true);
    f.set(null, env);
  }

  /** The example rules, compiled by an environment whose cache already holds their expressions. */
  private List<Rule> examplesFromTheCache() throws Exception {
    List<CustomRules.Definition> definitions = CustomRules.readDir(Path.of("examples/policies"));
    setEnvironment(KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(cache, "build-1")));
    CelRules.await(CelRules.compile(definitions)); // fills the cache
    setEnvironment(KubeCel.withVariables(CelRules.VARIABLES, new CheckedCache(cache, "build-1")));
    return CelRules.compile(definitions);
  }

  @Test
  void aScanFromTheCacheNeedsNoCelJavaEnvironment() throws Exception {
    CelRules.await(examplesFromTheCache());
    assertThat(CelRules.environment().celBuilt()).isFalse();
  }

  @Test
  void aServerHasItReadyBeforeItsFirstRequest() throws Exception {
    CelRules.awaitAndPrepare(examplesFromTheCache());
    assertThat(CelRules.environment().celBuilt()).isTrue();
  }
}

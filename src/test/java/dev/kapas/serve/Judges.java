package dev.kapas.serve;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.policy.Config;
import java.util.function.Function;

/** Judge factories for tests that use the built-in rules only (kapas serve's own adds --rules-dir and customRules). */
final class Judges {
  private Judges() {}

  static Judge.Factory builtIn(Function<Config, Judge> judge) {
    return new Judge.Factory() {
      @Override
      public RuleCatalog catalog() {
        return RuleCatalog.builtIn();
      }

      @Override
      public Judge of(RuleCatalog catalog, Config config) {
        return judge.apply(config);
      }
    };
  }
}

package dev.kapas.cli;

import dev.kapas.cel.CelRules;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.CustomRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --rules-dir}: the user's own rules in CEL, added to the built-in catalog. */
final class CustomRuleOptions {
  @Option(names = "--rules-dir", paramLabel = "DIR",
      description = "Custom rules in CEL: every .yaml/.yml file under DIR holds rules (id custom.<slug>, "
          + "match, variables, validations), as customRules in the config does. Repeatable.")
  List<Path> rulesDirs = new ArrayList<>();

  /** The built-in rules plus those of {@code --rules-dir}; the config may then name them. */
  RuleCatalog catalog(Env env) throws ConfigException {
    List<CustomRules.Definition> definitions = new ArrayList<>();
    for (Path dir : rulesDirs) {
      definitions.addAll(CustomRules.readDir(env.workingDir().resolve(dir)));
    }
    return plus(RuleCatalog.builtIn(), definitions);
  }

  /** {@code catalog} plus the config's own {@code customRules}. */
  static RuleCatalog withConfigRules(RuleCatalog catalog, Config cfg) throws ConfigException {
    return plus(catalog, cfg.customRules());
  }

  private static RuleCatalog plus(RuleCatalog catalog, List<CustomRules.Definition> definitions)
      throws ConfigException {
    List<String> seen = new ArrayList<>();
    for (CustomRules.Definition d : definitions) {
      if (catalog.find(d.spec().id()).isPresent() || seen.contains(d.spec().id())) {
        throw new ConfigException(d.file(), 0, "custom rule ID `" + d.spec().id() + "` is defined twice");
      }
      seen.add(d.spec().id());
    }
    List<Rule> rules = CelRules.compile(definitions);
    return rules.isEmpty() ? catalog : catalog.plus(rules);
  }
}

package dev.kapas.cli;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import dev.kapas.policy.Framework;
import dev.kapas.report.RuleDocs;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas rules [ID]}: the catalogue, or one rule explained. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = {
      "List the rules, or explain one.",
      "",
      "Without ID: every rule's ID, layer, severity and title. With ID: why it matters, how to "
          + "fix it, references and framework mappings.",
      "",
      "  kapas rules",
      "  kapas rules cluster.privileged-container",
      "  kapas rules --framework pss-restricted",
      "  kapas rules --format markdown > docs/rules.md"
    })
public final class RulesCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(paramLabel = "ID", arity = "0..1", description = "A rule ID to explain.")
  String id;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "table (default) or markdown (the whole catalogue, as docs/rules.md).")
  String format = "table";

  @Option(names = "--framework", paramLabel = "NAME",
      description = "Only the rules of this framework: 4c, pss-baseline, pss-restricted, cis, nsa, custom.")
  String framework = Framework.FOUR_C.id();

  @picocli.CommandLine.Mixin
  CustomRuleOptions customRules = new CustomRuleOptions();

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Also list the customRules of this config file (default: .kapas.yaml in the working "
          + "directory, when there is one).")
  java.nio.file.Path config;

  RulesCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog;
    try {
      catalog = customRules.catalog(env);
      ReportOptions configOnly = new ReportOptions();
      configOnly.config = config;
      catalog = CustomRuleOptions.withConfigRules(catalog, configOnly.loadConfig(catalog, env));
      dev.kapas.cel.CelRules.await(catalog.all());
    } catch (dev.kapas.policy.ConfigException e) {
      return usage(e.display());
    }
    Optional<Framework> fw = Framework.parse(framework);
    if (fw.isEmpty()) {
      return usage(Framework.unknown(framework));
    }
    List<RuleSpec> specs = catalog.specs().stream().filter(fw.get()::includes).toList();
    if (id != null) {
      Optional<RuleSpec> spec = catalog.find(id).map(r -> r.spec());
      if (spec.isEmpty()) {
        return usage("unknown rule ID `" + id + "`"
            + catalog.suggest(id).map(s -> "; did you mean " + s + "?").orElse(""));
      }
      env.out().print(RuleDocs.explain(spec.get()));
      return ExitCode.OK.code();
    }
    switch (format) {
      case "table" -> env.out().print(RuleDocs.table(specs));
      case "markdown" -> env.out().print(RuleDocs.markdown(specs));
      default -> {
        return usage("--format: `" + format + "` is not one of table, markdown");
      }
    }
    env.out().flush();
    return ExitCode.OK.code();
  }

  private int usage(String message) {
    env.err().println("kapas rules: " + message);
    return ExitCode.USAGE.code();
  }
}

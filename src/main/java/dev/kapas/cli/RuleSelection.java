package dev.kapas.cli;

import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.policy.RuleException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Which rules a command runs: {@code --framework}, the config's disabled rules, {@code --rules} globs. */
final class RuleSelection {
  private RuleSelection() {}

  /**
   * The rules of {@code catalog} that {@code command} can run ({@code runs}), that {@code fw}
   * includes and the config does not disable, narrowed to the {@code globs} (IDs or globs such as
   * {@code container.image-*}) when there are any.
   *
   * @throws IllegalArgumentException with the usage message when a glob matches no rule the command runs
   */
  static List<Rule> select(RuleCatalog catalog, Config cfg, Framework fw, List<String> globs, Predicate<Rule> runs,
      String command) {
    List<Pattern> only = new ArrayList<>();
    for (String glob : globs) {
      Pattern p = RuleException.glob(glob.trim());
      if (catalog.all().stream().filter(runs).noneMatch(r -> p.matcher(r.spec().id()).matches())) {
        boolean elsewhere = catalog.specs().stream().anyMatch(spec -> p.matcher(spec.id()).matches());
        throw new IllegalArgumentException("--rules: `" + glob + "` matches no rule"
            + (elsewhere ? " " + command + " runs" : catalog.suggest(glob.trim()).map(id -> "; did you mean " + id + "?")
                .orElse("")));
      }
      only.add(p);
    }
    List<Rule> selected = catalog.all().stream()
        .filter(runs)
        .filter(r -> fw.includes(r.spec()) && !cfg.disabled().contains(r.spec().id()))
        .filter(r -> only.isEmpty() || only.stream().anyMatch(p -> p.matcher(r.spec().id()).matches()))
        .toList();
    if (selected.isEmpty()) {
      // a scan with no rule would pass whatever it read: say so instead of printing PASS
      String frameworks = catalog.all().stream().filter(runs).map(Rule::spec)
          .flatMap(spec -> Arrays.stream(Framework.values()).filter(f -> f.includes(spec)))
          .distinct().map(Framework::id).sorted().collect(Collectors.joining(", "));
      throw new IllegalArgumentException("--framework " + fw.id()
          + (globs.isEmpty() ? "" : " with --rules " + String.join(",", globs))
          + (cfg.disabled().isEmpty() ? "" : " and the rules the config disables")
          + " selects no rule " + command + " runs (its rules belong to: " + frameworks + ")");
    }
    return selected;
  }
}

package dev.kapas.policy;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies the user's decisions to what the rules found: severity overrides, inline
 * {@code kapas.dev/ignore} annotations and config exceptions. Suppressed findings are kept,
 * marked with the reason; an expired exception no longer suppresses and is reported.
 */
public final class Policy {
  public static final String IGNORE_ANNOTATION = "kapas.dev/ignore";

  private final Config config;
  private final RuleCatalog catalog;
  private final Supplier<LocalDate> today;

  public Policy(Config config, RuleCatalog catalog, LocalDate today) {
    this(config, catalog, () -> today);
  }

  /** {@code today} is asked for only when the config has exceptions. */
  public Policy(Config config, RuleCatalog catalog, Supplier<LocalDate> today) {
    this.config = config;
    this.catalog = catalog;
    this.today = today;
  }

  /** The findings after policy, and warnings about the policy itself. */
  public record Outcome(List<Finding> findings, List<String> warnings) {}

  public Outcome apply(List<Finding> findings, Inventory inventory) {
    List<String> warnings = new ArrayList<>();
    Map<String, Map<String, String>> ignores = inlineIgnores(inventory, warnings);
    Map<RuleException, Integer> expiredHits = new LinkedHashMap<>();
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Severity override = config.severities().get(f.ruleId());
      if (override != null) {
        f = f.withSeverity(override);
      }
      String inline = ignores.isEmpty() ? null : ignores.getOrDefault(f.objectKey(), Map.of()).get(f.ruleId());
      if (inline != null) {
        out.add(f.suppressedBecause("annotation " + IGNORE_ANNOTATION + ": " + inline));
        continue;
      }
      Finding result = f;
      for (RuleException ex : config.exceptions()) {
        if (!ex.matches(f)) {
          continue;
        }
        if (ex.expiredOn(today.get())) {
          expiredHits.merge(ex, 1, Integer::sum);
          continue;
        }
        result = f.suppressedBecause("exception in " + config.file() + ":" + ex.line() + ": " + ex.reason());
        break;
      }
      out.add(result);
    }
    for (RuleException ex : config.exceptions()) {
      if (ex.expiredOn(today.get())) {
        int hits = expiredHits.getOrDefault(ex, 0);
        warnings.add(config.file() + ":" + ex.line() + ": the exception for " + ex.rule() + " (\""
            + ex.reason() + "\") expired on " + ex.expires().orElseThrow() + "; it no longer suppresses "
            + (hits == 1 ? "1 finding" : hits + " findings"));
      }
    }
    return new Outcome(out, warnings);
  }

  /** Rule ID to reason, per object, from the object's (and its pod template's) annotations. */
  private Map<String, Map<String, String>> inlineIgnores(Inventory inventory, List<String> warnings) {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (KubeObject o : inventory.objects()) {
      // each annotation with its own line, for warnings that point at it
      Map<String, Integer> values = new LinkedHashMap<>();
      Node own = o.metadata().path("annotations", IGNORE_ANNOTATION);
      own.text().ifPresent(v -> values.put(v, own.line()));
      PodView.of(o).map(p -> p.metadata().node().path("annotations", IGNORE_ANNOTATION))
          .ifPresent(n -> n.text().ifPresent(v -> values.putIfAbsent(v, n.line())));
      if (values.isEmpty()) {
        continue;
      }
      Map<String, String> reasons = new HashMap<>();
      values.forEach((value, line) -> {
        for (String entry : value.split("[\\n;]")) {
          parseIgnore(o, line, entry.trim(), reasons, warnings);
        }
      });
      out.put(o.key(), reasons);
    }
    // a fact read from an object (a mirror pod's component flags) is ignored as that object is
    for (Fact fact : inventory.facts()) {
      Map<String, String> reasons = fact.derivedFrom().isEmpty() ? null : out.get(fact.derivedFrom());
      if (reasons != null) {
        out.computeIfAbsent(fact.key(), k -> new HashMap<>()).putAll(reasons);
      }
    }
    return out;
  }

  private void parseIgnore(KubeObject o, int line, String entry, Map<String, String> reasons, List<String> warnings) {
    if (entry.isEmpty()) {
      return;
    }
    String where = o.origin().file() + ":" + line + ": " + o.ref().display() + ": ";
    int colon = entry.indexOf(':');
    String rule = (colon < 0 ? entry : entry.substring(0, colon)).trim();
    String reason = colon < 0 ? "" : entry.substring(colon + 1).trim();
    if (catalog.find(rule).isEmpty()) {
      String hint = catalog.suggest(rule).map(s -> " (did you mean " + s + "?)").orElse("");
      warnings.add(where + IGNORE_ANNOTATION + " names unknown rule `" + rule + "`" + hint);
      return;
    }
    if (reason.isEmpty()) {
      warnings.add(where + IGNORE_ANNOTATION + " for " + rule
          + " has no reason, so it does not suppress; write \"" + rule + ": <why>\"");
      return;
    }
    reasons.put(rule, reason);
  }
}

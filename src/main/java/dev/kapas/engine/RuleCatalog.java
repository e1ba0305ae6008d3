package dev.kapas.engine;

import dev.kapas.rules.RuleIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All rules kapas ships, by ID, in ID order. */
public final class RuleCatalog {
  private final Map<String, Rule> byId = new LinkedHashMap<>();

  public RuleCatalog(List<Rule> rules) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparing(r -> r.spec().id()));
    for (Rule r : sorted) {
      if (byId.putIfAbsent(r.spec().id(), r) != null) {
        throw new IllegalStateException("two rules share the ID " + r.spec().id());
      }
    }
  }

  /** The rules compiled into kapas. */
  public static RuleCatalog builtIn() {
    return new RuleCatalog(RuleIndex.all());
  }

  /** This catalogue and {@code more} (the user's custom rules). */
  public RuleCatalog plus(List<Rule> more) {
    List<Rule> rules = new ArrayList<>(byId.values());
    rules.addAll(more);
    return new RuleCatalog(rules);
  }

  public List<Rule> all() {
    return List.copyOf(byId.values());
  }

  public List<RuleSpec> specs() {
    return byId.values().stream().map(Rule::spec).toList();
  }

  public Optional<Rule> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The known ID closest to {@code unknown}, for "did you mean" messages. */
  public Optional<String> suggest(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String id : byId.keySet()) {
      int d = editDistance(unknown, id);
      if (id.endsWith("." + unknown)) {
        d = 0; // the slug without its layer
      } else if (unknown.length() >= 6 && (id.startsWith(unknown) || id.contains(unknown))) {
        d = Math.min(d, 1); // a truncated or partial ID
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = id;
      }
    }
    return best != null && bestDistance <= Math.max(3, unknown.length() / 3)
        ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance: the fewest inserted, removed or replaced characters from {@code a} to {@code b}. */
  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

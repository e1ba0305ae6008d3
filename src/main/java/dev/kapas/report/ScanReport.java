package dev.kapas.report;

import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.policy.FailOn;
import dev.kapas.policy.Framework;
import dev.kapas.policy.PssVerdicts;
import dev.kapas.policy.Scores;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a report renders, already computed: reports only format.
 *
 * @param toolVersion kapas version
 * @param framework the framework that selected the rules
 * @param pssVersion the PSS version evaluated
 * @param failOn the threshold
 * @param rules the rules that ran, by ID, with the severity in force
 * @param findings after policy, in input order
 * @param errors input errors
 * @param notes inputs skipped on purpose
 * @param warnings about the policy (expired exceptions, bad annotations)
 * @param scores per layer and overall
 * @param evaluation which objects each rule evaluated
 * @param pssVerdicts per pod-bearing object, when {@code --pss} asked for them (else empty)
 * @param exitCode what the command returns
 */
public record ScanReport(
    String toolVersion,
    Framework framework,
    PssVersion pssVersion,
    FailOn failOn,
    Map<String, RuleSpec> rules,
    List<Finding> findings,
    List<Diagnostic> errors,
    List<Diagnostic> notes,
    List<String> warnings,
    Scores scores,
    Evaluation evaluation,
    List<PssVerdicts.Verdict> pssVerdicts,
    int exitCode) {

  /**
   * One control of the selected compliance framework ({@code --framework cis|nsa}): the rules
   * that implement it, how many (rule, object) checks they made and how many failed.
   */
  public record ControlResult(String id, List<String> ruleIds, int checks, int failed) {
    public String status() {
      return checks == 0 ? "not evaluated" : failed > 0 ? "fail" : "pass";
    }
  }

  /** Per-control results for a compliance framework, in control order; empty for the others. */
  public List<ControlResult> controls() {
    if (framework != Framework.CIS && framework != Framework.NSA) {
      return List.of();
    }
    Map<String, java.util.Set<String>> failedObjects = new java.util.HashMap<>();
    for (Finding f : findings) {
      if (!f.suppressed()) {
        failedObjects.computeIfAbsent(f.ruleId(), k -> new java.util.HashSet<>()).add(f.objectKey());
      }
    }
    Map<String, List<String>> rulesByControl = new java.util.TreeMap<>(ScanReport::compareControls);
    for (RuleSpec spec : rules.values()) {
      for (RuleSpec.Control c : spec.controls()) {
        if (c.framework().equals(framework.id())) {
          rulesByControl.computeIfAbsent(c.id(), k -> new java.util.ArrayList<>()).add(spec.id());
        }
      }
    }
    List<ControlResult> out = new java.util.ArrayList<>();
    rulesByControl.forEach((control, ids) -> {
      int checks = 0;
      int failed = 0;
      for (String id : ids) {
        int evaluated = evaluation.evaluatedCount(id);
        checks += evaluated;
        failed += Math.min(evaluated, failedObjects.getOrDefault(id, java.util.Set.of()).size());
      }
      out.add(new ControlResult(control, List.copyOf(ids), checks, failed));
    });
    return out;
  }

  /** Section numbers in numeric order (5.2.2 before 5.2.10); other names alphabetically. */
  static int compareControls(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
          ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  public int objectCount() {
    return evaluation.inventory().objects().size();
  }

  /**
   * What was examined, for a header: {@code 12 objects}; for reported facts their hosts and
   * nouns instead ({@code 2 hosts x 2781 ports, 1 URL}) when there are no objects.
   */
  public String examined() {
    List<dev.kapas.model.Fact> facts = evaluation.inventory().facts();
    if (objectCount() > 0 || facts.isEmpty()) {
      return plural(objectCount(), "object");
    }
    Map<String, Integer> nouns = new java.util.LinkedHashMap<>();
    java.util.Set<String> hosts = new java.util.LinkedHashSet<>();
    for (dev.kapas.model.Fact f : facts) {
      if (f instanceof dev.kapas.model.ReportedFact r) {
        nouns.merge(r.reportNoun(), 1, Integer::sum);
        if (!r.reportHost().isEmpty() && r.reportNoun().equals("port")) {
          hosts.add(r.reportHost());
        }
      }
    }
    java.util.StringJoiner out = new java.util.StringJoiner(", ");
    nouns.forEach((noun, n) -> out.add((noun.equals("port") ? plural(hosts.size(), "host") + " x " : "")
        + plural(n, noun)));
    return nouns.isEmpty() ? plural(facts.size(), "fact") : out.toString();
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Active (unsuppressed) findings per severity, every severity present. */
  public Map<Severity, Integer> countsBySeverity() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    for (Finding f : findings) {
      if (!f.suppressed()) {
        counts.merge(f.severity(), 1, Integer::sum);
      }
    }
    return counts;
  }

  public long suppressedCount() {
    return findings.stream().filter(Finding::suppressed).count();
  }

  public RuleSpec spec(String ruleId) {
    RuleSpec spec = rules.get(ruleId);
    if (spec == null) {
      throw new IllegalArgumentException("finding of a rule that did not run: " + ruleId);
    }
    return spec;
  }
}

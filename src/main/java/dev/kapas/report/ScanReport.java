package dev.kapas.report;

import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Input;
import dev.kapas.engine.Rule;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.model.Subject;
import dev.kapas.policy.CisBenchmark;
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
   * that implement it, how many checks of what it concerns they made and how many failed.
   *
   * @param status {@code pass}, {@code fail}, {@code not applicable} (nothing it concerns was read:
   *     a worker node has no API server), or {@code manual} (no rule automates it: check by hand)
   * @param title what the control asks, for CIS benchmark controls (empty for others)
   * @param group the benchmark group it belongs to ({@code 1.2 API Server}), or empty
   * @param reason why it is not applicable or manual; empty otherwise
   */
  public record ControlResult(String id, List<String> ruleIds, int checks, int failed, String status, String title,
      String group, String reason) {}

  /**
   * Whether the CIS table lists every recommendation of the benchmark's node sections (1-4), manual
   * ones included: when node rules ran on node facts (kapas node, or mirror pods in a scan), not
   * for a scan of plain manifests, where they would all be not applicable.
   */
  public boolean showsCisNodeSections() {
    return framework == Framework.CIS && rules.values().stream().anyMatch(r -> r.input() == Input.NODE)
        && (objectCount() == 0 || !evaluation.inventory().facts().isEmpty());
  }

  /** Per-control results for a compliance framework, in control order; empty for the others. */
  public List<ControlResult> controls() {
    if (framework != Framework.CIS && framework != Framework.NSA) {
      return List.of();
    }
    Map<String, List<String>> rulesByControl = new java.util.TreeMap<>(ScanReport::compareControls);
    for (RuleSpec spec : rules.values()) {
      for (RuleSpec.Control c : spec.controls()) {
        if (c.framework().equals(framework.id())) {
          rulesByControl.computeIfAbsent(c.id(), k -> new java.util.ArrayList<>()).add(spec.id());
        }
      }
    }
    CisBenchmark cis = CisBenchmark.load();
    boolean benchmark = showsCisNodeSections();
    if (benchmark) {
      cis.controls().forEach(c -> rulesByControl.putIfAbsent(c.id(), List.of()));
    }
    Map<String, Rule> ruleById = new java.util.HashMap<>();
    evaluation.rules().forEach(r -> ruleById.put(r.spec().id(), r));
    Map<String, List<Finding>> active = new java.util.HashMap<>();
    for (Finding f : findings) {
      if (!f.suppressed()) {
        active.computeIfAbsent(f.ruleId(), k -> new java.util.ArrayList<>()).add(f);
      }
    }
    List<ControlResult> out = new java.util.ArrayList<>();
    rulesByControl.forEach((control, ids) -> {
      java.util.Optional<CisBenchmark.Control> known = benchmark ? cis.find(control) : java.util.Optional.empty();
      String title = known.map(CisBenchmark.Control::title).orElse("");
      String group = known.map(CisBenchmark.Control::group).orElse("");
      if (ids.isEmpty()) {
        out.add(new ControlResult(control, List.of(), 0, 0, "manual", title, group,
            known.map(c -> c.automated() ? "not automated by kapas: check by hand" : "manual in the benchmark: check by hand")
                .orElse("")));
        return;
      }
      if (!benchmark && ids.stream().allMatch(id -> rules.get(id).input() == Input.NODE)) {
        return; // a node's control: manifests cannot decide it, and 66 rows of N/A say nothing
      }
      int checks = 0;
      int failed = 0;
      boolean seen = false;
      for (String id : ids) {
        Rule rule = ruleById.get(id);
        java.util.Set<Object> failing = new java.util.HashSet<>();
        for (Finding f : active.getOrDefault(id, List.of())) {
          if (rule.fails(f, control)) {
            failing.add(f.objectKey());
            failing.add(f.object());
          }
        }
        for (Subject subject : evaluation.evaluatedSubjects(id)) {
          seen = true;
          if (rule.concerns(subject, control)) {
            checks++;
            if (failing.contains(subject instanceof Fact ? subject.ref() : subject.key())) {
              failed++;
            }
          }
        }
      }
      String status = checks == 0 ? "not applicable" : failed > 0 ? "fail" : "pass";
      boolean found = seen;
      String reason = checks > 0 ? "" : known.map(c -> found
          // the component was read, but what the control checks does not apply to it
          ? "does not apply to the " + c.about() + " found" : "no " + c.about() + " found")
          .orElse("nothing it concerns was scanned");
      out.add(new ControlResult(control, List.copyOf(ids), checks, failed, status, title, group, reason));
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
   * What was examined, for a header: {@code 12 objects} (and {@code 3 facts} when a scan also
   * derived facts, such as control-plane flags from mirror pods); for reported facts their hosts and
   * nouns instead ({@code 2 hosts x 2781 ports, 1 URL}) when there are no objects.
   */
  public String examined() {
    List<dev.kapas.model.Fact> facts = evaluation.inventory().facts();
    if (objectCount() > 0 || facts.isEmpty()) {
      // images behind the objects (--images) by their noun; their uses are the objects themselves
      long images = facts.stream().filter(f -> f instanceof dev.kapas.model.ReportedFact r
          && r.reportNoun().equals("image")).count();
      long others = facts.stream().filter(f -> !(f instanceof dev.kapas.model.FactInUse)).count() - images;
      return plural(objectCount(), "object") + (images == 0 ? "" : ", " + plural(images, "image"))
          + (others == 0 ? "" : ", " + plural(others, "fact"));
    }
    Map<String, Integer> nouns = new java.util.LinkedHashMap<>();
    java.util.Set<String> hosts = new java.util.LinkedHashSet<>();
    // hosts x ports: each port once, however many hosts it was probed on
    java.util.Set<Object> ports = new java.util.HashSet<>();
    for (dev.kapas.model.Fact f : facts) {
      if (f instanceof dev.kapas.model.ReportedFact r) {
        if (!r.reportNoun().equals("port") || ports.add(r.reportFields().get("port"))) {
          nouns.merge(r.reportNoun(), 1, Integer::sum);
        }
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

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

  public int objectCount() {
    return evaluation.inventory().objects().size();
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

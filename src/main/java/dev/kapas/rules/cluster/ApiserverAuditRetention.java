package dev.kapas.rules.cluster;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.node.ComponentFact;
import java.util.List;
import java.util.Map;

/** Audit log files kept too short. */
public final class ApiserverAuditRetention extends ApiserverRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.apiserver-audit-retention")
      .title("Audit log retention is short")
      .severity(Severity.LOW)
      .input(Input.NODE)
      .why("Incidents are often found weeks later; audit files rotated away after a day or a few "
          + "megabytes are gone by then.")
      .fix("Set --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more), "
          + "or ship the log elsewhere with a webhook backend.")
      .refs("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend")
      .control("cis", "1.2.17")
      .control("cis", "1.2.18")
      .control("cis", "1.2.19")
      .build();

  private static final List<Limit> LIMITS = List.of(
      new Limit("audit-log-maxage", 30), new Limit("audit-log-maxbackup", 10), new Limit("audit-log-maxsize", 100));

  private record Limit(String flag, long min) {}

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** Without a log file there is nothing to retain (cluster.apiserver-audit-log reports that). */
  @Override
  boolean judges(ComponentFact fact) {
    return fact.flags().isSet("audit-log-path");
  }

  @Override
  Map<String, List<String>> controlFlags() {
    return Map.of("1.2.17", List.of("audit-log-maxage"), "1.2.18", List.of("audit-log-maxbackup"),
        "1.2.19", List.of("audit-log-maxsize"));
  }

  @Override
  public void check(ComponentFact fact, RuleContext ctx) {
    for (Limit l : LIMITS) {
      String v = fact.flags().value(l.flag()).trim();
      long n = v.matches("\\d+") ? Long.parseLong(v) : 0;
      if (n < l.min()) {
        fail(ctx, fact, l.flag(), setting(fact, l.flag()) + ", below " + l.min());
      }
    }
  }
}

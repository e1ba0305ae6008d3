package dev.kapas.serve;

import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What kapas serve exposes at {@code /metrics}, in the Prometheus text format (version 0.0.4):
 * admission requests by verdict, rule hits by rule and action, a latency histogram, and the
 * latest continuous audit (findings by namespace, rule and severity; score per layer).
 */
final class Metrics {
  /** Latency buckets in seconds: the 10 ms target sits in the middle. */
  static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> ruleHits = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();
  private final LongAdder reloadErrors = new LongAdder();
  private volatile Judge.Audit audit;

  Metrics() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** One answered admission request: its verdict, each finding with what was done about it, how long it took. */
  void admission(String verdict, List<List<String>> ruleAndAction, long nanos) {
    requests.computeIfAbsent(verdict, v -> new LongAdder()).increment();
    for (List<String> hit : ruleAndAction) {
      ruleHits.computeIfAbsent(hit, h -> new LongAdder()).increment();
    }
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        buckets[i].increment();
      }
    }
    count.increment();
    sum.add(seconds);
  }

  void reloadFailed() {
    reloadErrors.increment();
  }

  void audited(Judge.Audit latest) {
    this.audit = latest;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    header(out, "kapas_admission_requests_total", "counter", "Admission requests answered, by verdict "
        + "(allowed, denied, warned: allowed with warnings, error: not judged).");
    new TreeMap<>(requests).forEach((verdict, n) ->
        sample(out, "kapas_admission_requests_total", List.of("verdict", verdict), n.sum()));
    header(out, "kapas_admission_rule_hits_total", "counter",
        "Findings in admission requests, by rule and what was done (deny, warn, audit, none).");
    List<Map.Entry<List<String>, LongAdder>> hits = new ArrayList<>(ruleHits.entrySet());
    hits.sort((a, b) -> String.join("\0", a.getKey()).compareTo(String.join("\0", b.getKey())));
    for (Map.Entry<List<String>, LongAdder> e : hits) {
      sample(out, "kapas_admission_rule_hits_total", List.of("rule", e.getKey().get(0), "action", e.getKey().get(1)),
          e.getValue().sum());
    }
    header(out, "kapas_admission_duration_seconds", "histogram", "Time to judge an admission request.");
    for (int i = 0; i < BUCKETS.length; i++) {
      sample(out, "kapas_admission_duration_seconds_bucket", List.of("le", number(BUCKETS[i])), buckets[i].sum());
    }
    long n = count.sum();
    sample(out, "kapas_admission_duration_seconds_bucket", List.of("le", "+Inf"), n);
    sample(out, "kapas_admission_duration_seconds_sum", List.of(), sum.sum());
    sample(out, "kapas_admission_duration_seconds_count", List.of(), n);
    header(out, "kapas_config_reload_errors_total", "counter",
        "Changed config or certificate files that did not load (the previous ones stay in use).");
    sample(out, "kapas_config_reload_errors_total", List.of(), reloadErrors.sum());
    Judge.Audit a = audit;
    if (a != null) {
      auditMetrics(out, a);
    }
    return out.toString();
  }

  private static void auditMetrics(StringBuilder out, Judge.Audit a) {
    header(out, "kapas_audit_findings", "gauge",
        "Unsuppressed findings of the latest continuous audit, by namespace, rule and severity.");
    Map<List<String>, Integer> byKey = new TreeMap<>((x, y) -> String.join("\0", x).compareTo(String.join("\0", y)));
    for (Finding f : a.findings()) {
      if (!f.suppressed()) {
        byKey.merge(List.of(f.object().namespace(), f.ruleId(), f.severity().label()), 1, Integer::sum);
      }
    }
    byKey.forEach((k, v) -> sample(out, "kapas_audit_findings",
        List.of("namespace", k.get(0), "rule", k.get(1), "severity", k.get(2)), v));
    header(out, "kapas_audit_score", "gauge", "Score per layer of the latest continuous audit (0 to 100).");
    for (Map.Entry<Layer, Double> e : a.scores().byLayer().entrySet()) {
      sample(out, "kapas_audit_score", List.of("layer", e.getKey().label()), e.getValue());
    }
    a.scores().overall().ifPresent(s -> sample(out, "kapas_audit_score", List.of("layer", "overall"), s));
    header(out, "kapas_audit_objects", "gauge", "Objects the latest continuous audit judged.");
    sample(out, "kapas_audit_objects", List.of(), a.objects());
    header(out, "kapas_audit_duration_seconds", "gauge", "How long the latest continuous audit took.");
    sample(out, "kapas_audit_duration_seconds", List.of(), a.took().toNanos() / 1e9);
    header(out, "kapas_audit_last_run_timestamp_seconds", "gauge", "When the latest continuous audit ran.");
    sample(out, "kapas_audit_last_run_timestamp_seconds", List.of(), a.at().toEpochMilli() / 1000.0);
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, List<String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      for (int i = 0; i < labels.size(); i += 2) {
        out.append(i == 0 ? "" : ",").append(labels.get(i)).append("=\"").append(escape(labels.get(i + 1))).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

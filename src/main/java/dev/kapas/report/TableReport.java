package dev.kapas.report;

import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import dev.kapas.policy.CisBenchmark;
import dev.kapas.policy.PssVerdicts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The human report: findings grouped by layer (outermost first), within a layer by rule, most
 * severe first; each rule once with its title and fix, then every object it failed with
 * file:line and what was seen. Then input errors, notes, warnings, the score per layer and the
 * verdict. Suppressed findings are counted, not listed. Text from the input is shown with its
 * control characters spelled out, so a manifest cannot drive the terminal.
 */
public final class TableReport implements ReportWriter {
  private static final String RESET = "\u001b[0m";
  /** How many findings alike in one object are listed as one (see {@link #alike}). */
  private static final int GROUP_AT = 3;
  /** How many of their locations that one entry shows. */
  private static final int SHOWN = 3;
  private static final Pattern QUOTED = Pattern.compile("`[^`]*`");
  private final boolean color;

  public TableReport(boolean color) {
    this.color = color;
  }

  @Override
  public void write(ScanReport report, Writer writer) throws IOException {
    PrintWriter out = new PrintWriter(writer);
    out.printf("kapas %s: %s, %s (framework %s, PSS %s)%n", report.toolVersion(),
        report.examined(), plural(report.rules().size(), "rule"),
        report.framework().id(), report.pssVersion());
    for (Layer layer : Layer.values()) {
      writeLayer(out, report, layer);
    }
    if (!report.pssVerdicts().isEmpty()) {
      writeVerdicts(out, report);
    }
    writeControls(out, report);
    section(out, "Input errors", report.errors());
    section(out, "Notes", report.notes());
    if (!report.warnings().isEmpty()) {
      out.println();
      out.println(bold("Warnings (" + report.warnings().size() + ")"));
      report.warnings().forEach(w -> out.println("  " + safe(w)));
    }
    writeSummary(out, report);
    out.flush();
    if (out.checkError()) {
      throw new IOException("the report could not be written completely");
    }
  }

  private void writeLayer(PrintWriter out, ScanReport report, Layer layer) {
    Map<String, List<Finding>> byRule = new LinkedHashMap<>();
    report.findings().stream()
        .filter(f -> report.spec(f.ruleId()).layer() == layer && !f.suppressed())
        .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::ruleId)
            .thenComparing(f -> f.location().file()).thenComparingInt(f -> f.location().line()))
        // a rule may report some findings at another severity than its own (a note): a group each
        .forEach(f -> byRule.computeIfAbsent(f.ruleId() + ' ' + f.severity(), k -> new ArrayList<>()).add(f));
    Double score = report.scores().byLayer().get(layer);
    if (score == null && byRule.isEmpty()) {
      return;
    }
    int count = byRule.values().stream().mapToInt(List::size).sum();
    out.println();
    out.printf("%s  score %s  %s%n", bold(layer.name() + " layer"), score == null ? "-" : format(score) + "/100",
        count == 0 ? "no findings" : plural(count, "finding"));
    for (List<Finding> findings : byRule.values()) {
      Finding first = findings.get(0);
      RuleSpec spec = report.spec(first.ruleId());
      out.printf("  %s  %s  %s%s%n", paint(first.severity(), pad(first.severity().name(), 8)), first.ruleId(),
          spec.title(), findings.size() > 1 ? " (" + findings.size() + ")" : "");
      // print, not printf: a large scan writes two lines for each of tens of thousands of findings
      StringBuilder lines = new StringBuilder();
      for (List<Finding> alike : alike(findings)) {
        Finding f = alike.get(0);
        lines.setLength(0);
        lines.append("      ").append(safe(f.object().display())).append("  ").append(safe(f.location().file()));
        // line 0: about a whole input, or a fact with no line (a host:port, a URL)
        if (f.location().line() > 0) {
          lines.append(':').append(f.location().line());
        }
        for (Finding more : alike.subList(1, Math.min(alike.size(), SHOWN))) {
          lines.append(", ").append(more.location().file().equals(f.location().file()) ? ""
              : safe(more.location().file()) + ":").append(more.location().line());
        }
        if (alike.size() > 1) {
          lines.append(alike.size() > SHOWN ? ", ..." : "").append(" (").append(alike.size()).append(" findings)");
        }
        out.println(lines);
        lines.setLength(0);
        lines.append("        ").append(safe(f.message()));
        if (alike.size() > 1) {
          lines.append(" (and ").append(alike.size() - 1).append(" more like it)");
        }
        out.println(lines);
      }
      out.printf("      fix: %s%n", spec.remediation());
    }
  }

  /**
   * The findings of one rule, those about one object whose messages differ only in their quoted
   * parts (a pod with a thousand containers, each without a limit) taken together when there
   * are {@link #GROUP_AT} or more; in order of their first finding. JSON and SARIF list each.
   */
  private static List<List<Finding>> alike(List<Finding> findings) {
    if (findings.size() < GROUP_AT) {
      return findings.stream().map(List::of).toList();
    }
    Map<List<Object>, List<Finding>> groups = new HashMap<>();
    List<List<Object>> keys = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      List<Object> key = List.of(f.objectIdentity(), QUOTED.matcher(f.message()).replaceAll("``"));
      keys.add(key);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
    }
    List<List<Finding>> out = new ArrayList<>();
    for (int i = 0; i < findings.size(); i++) {
      List<Finding> group = groups.get(keys.get(i));
      if (group.size() < GROUP_AT) {
        out.add(List.of(findings.get(i)));
      } else if (group.get(0) == findings.get(i)) {
        out.add(group);
      }
    }
    return out;
  }

  private void writeSummary(PrintWriter out, ScanReport report) {
    out.println();
    StringJoiner counts = new StringJoiner(", ");
    for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
      String text = e.getValue() + " " + e.getKey().label();
      counts.add(e.getValue() > 0 ? paint(e.getKey(), text) : text);
    }
    long suppressed = report.suppressedCount();
    out.printf("Findings: %s%s%n", counts, suppressed > 0 ? " (" + suppressed + " suppressed)" : "");
    StringJoiner scores = new StringJoiner(", ");
    for (Layer layer : Layer.values()) {
      Double s = report.scores().byLayer().get(layer);
      scores.add(layer.label() + " " + (s == null ? "-" : format(s)));
    }
    out.printf("Score: %s overall (%s)%n", report.scores().overall().map(s -> format(s) + "/100").orElse("-"), scores);
    out.println(verdict(report));
  }

  /** With --framework cis|nsa: one line per control, like a benchmark's pass/fail table. */
  private void writeControls(PrintWriter out, ScanReport report) {
    List<ScanReport.ControlResult> controls = report.controls();
    if (controls.isEmpty()) {
      return;
    }
    long failing = controls.stream().filter(c -> c.status().equals("fail")).count();
    out.println();
    out.println(bold(report.framework().title() + (report.showsCisNodeSections() ? " " + CisBenchmark.VERSION : "")
        + ": score " + report.scores().overall().map(s -> format(s) + "/100").orElse("-") + ", " + failing + " of "
        + plural(controls.size(), "control") + " failing"));
    int width = controls.stream().mapToInt(c -> c.id().length()).max().orElse(0);
    String group = "";
    Map<String, Integer> tally = new LinkedHashMap<>();
    for (ScanReport.ControlResult c : controls) {
      tally.merge(c.status(), 1, Integer::sum);
      String status = switch (c.status()) {
        case "fail" -> paint(Severity.HIGH, "FAIL");
        case "pass" -> "PASS";
        case "manual" -> "MANUAL";
        case "not applicable" -> "N/A";
        default -> "----";
      };
      if (c.title().isEmpty()) {
        out.printf("  %-" + width + "s  %s  %s  %s%n", c.id(), status,
            c.checks() == 0 ? "no objects" : c.failed() + "/" + c.checks() + " failed",
            String.join(", ", c.ruleIds()));
        continue;
      }
      if (!c.group().equals(group)) {
        group = c.group();
        out.println("  " + bold(group));
      }
      String detail = c.ruleIds().isEmpty() ? c.reason()
          : String.join(", ", c.ruleIds()) + (c.checks() == 0 ? ": " + c.reason() : " (" + c.failed() + "/" + c.checks() + " failed)");
      out.printf("    %-" + width + "s  %-6s  %s  [%s]%n", c.id(), status, c.title(), detail);
    }
    if (report.showsCisNodeSections()) {
      out.printf("  %d pass, %d fail, %d not applicable, %d manual%n", tally.getOrDefault("pass", 0),
          tally.getOrDefault("fail", 0), tally.getOrDefault("not applicable", 0), tally.getOrDefault("manual", 0));
    }
  }


  private void writeVerdicts(PrintWriter out, ScanReport report) {
    out.println();
    out.println(bold("Pod Security Standards " + report.pssVersion() + " (highest level met)"));
    for (PssVerdicts.Verdict v : report.pssVerdicts()) {
      out.printf("  %-10s  %s  %s:%d%n", v.level().label(), safe(v.object().ref().display()),
          safe(v.object().origin().file()), v.object().origin().line());
      String next = v.level() == PssLevel.PRIVILEGED ? "baseline" : "restricted";
      for (Finding f : v.blockers()) {
        out.printf("              blocks %s: %s (%s, line %d)%n", next, safe(f.message()), f.ruleId(),
            f.location().line());
      }
    }
  }

  private String verdict(ScanReport report) {
    return switch (report.exitCode()) {
      case 0 -> "Result: " + colored("\u001b[1;32m", "PASS") + " (nothing at or above " + report.failOn().label() + ")";
      case 1 -> "Result: " + colored("\u001b[1;31m", "FAIL") + " (findings at or above " + report.failOn().label() + ")";
      default -> "Result: " + colored("\u001b[1;33m", "INCOMPLETE") + " (" + plural(report.errors().size(), "input error")
          + "; findings may be missing)";
    };
  }

  private void section(PrintWriter out, String title, List<Diagnostic> items) {
    if (items.isEmpty()) {
      return;
    }
    out.println();
    out.println(bold(title + " (" + items.size() + ")"));
    items.forEach(d -> out.println("  " + safe(d.display())));
  }

  private static String safe(String s) {
    return Text.escape(s, Text::terminalChar);
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String format(double score) {
    return String.format(Locale.ROOT, "%.1f", score);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private String bold(String s) {
    return colored("\u001b[1m", s);
  }

  private String colored(String code, String s) {
    return color ? code + s + RESET : s;
  }

  private String paint(Severity severity, String s) {
    return colored(switch (severity) {
      case CRITICAL -> "\u001b[1;31m";
      case HIGH -> "\u001b[31m";
      case MEDIUM -> "\u001b[33m";
      case LOW -> "\u001b[36m";
      case INFO -> "\u001b[37m";
    }, s);
  }
}

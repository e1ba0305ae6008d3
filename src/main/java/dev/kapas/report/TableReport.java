package dev.kapas.report;

import dev.kapas.engine.PssLevel;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import dev.kapas.policy.PssVerdicts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The human report: findings grouped by layer (outermost first), most severe first, each with
 * the object, file:line, what was seen and the fix; then input errors, notes, warnings, the
 * score per layer and the verdict. Suppressed findings are counted, not listed.
 */
public final class TableReport implements ReportWriter {
  private static final String RESET = "\u001b[0m";
  private final boolean color;

  public TableReport(boolean color) {
    this.color = color;
  }

  @Override
  public void write(ScanReport report, Writer writer) throws IOException {
    PrintWriter out = new PrintWriter(writer);
    out.printf("kapas %s: %d objects, %d rules (framework %s, PSS %s)%n", report.toolVersion(),
        report.objectCount(), report.rules().size(), report.framework().id(), report.pssVersion());
    for (Layer layer : Layer.values()) {
      List<Finding> inLayer = new ArrayList<>();
      for (Finding f : report.findings()) {
        if (f.layer() == layer && !f.suppressed()) {
          inLayer.add(f);
        }
      }
      Double score = report.scores().byLayer().get(layer);
      if (score == null && inLayer.isEmpty()) {
        continue;
      }
      inLayer.sort(Comparator.comparing(Finding::severity)
          .thenComparing(f -> f.location().file())
          .thenComparingInt(f -> f.location().line()));
      out.println();
      out.printf("%s  score %s, %d finding%s%n", bold(layer.name()), score == null ? "-" : format(score),
          inLayer.size(), inLayer.size() == 1 ? "" : "s");
      for (Finding f : inLayer) {
        out.printf("  %s  %s  %s  %s:%d%n", paint(f.severity(), pad(f.severity().name(), 8)), f.ruleId(),
            f.object().display(), f.location().file(), f.location().line());
        out.printf("            %s%n", f.message());
        out.printf("            fix: %s%n", report.spec(f.ruleId()).remediation());
      }
    }
    if (!report.pssVerdicts().isEmpty()) {
      writeVerdicts(out, report);
    }
    section(out, "Input errors", report.errors());
    section(out, "Notes", report.notes());
    if (!report.warnings().isEmpty()) {
      out.println();
      out.println(bold("Warnings (" + report.warnings().size() + ")"));
      report.warnings().forEach(w -> out.println("  " + w));
    }
    out.println();
    StringJoiner counts = new StringJoiner(", ");
    for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
      counts.add(e.getValue() + " " + e.getKey().label());
    }
    long suppressed = report.suppressedCount();
    out.printf("Findings: %s%s%n", counts, suppressed > 0 ? " (" + suppressed + " suppressed)" : "");
    StringJoiner scores = new StringJoiner("  ");
    for (Layer layer : Layer.values()) {
      Double s = report.scores().byLayer().get(layer);
      scores.add(layer.label() + " " + (s == null ? "-" : format(s)));
    }
    out.printf("Score: %s overall (%s)%n", format(report.scores().overall()), scores);
    out.println(verdict(report));
    out.flush();
  }

  private void writeVerdicts(PrintWriter out, ScanReport report) {
    out.println();
    out.println(bold("Pod Security Standards " + report.pssVersion() + " (highest level met)"));
    for (PssVerdicts.Verdict v : report.pssVerdicts()) {
      out.printf("  %-10s  %s  %s:%d%n", v.level().label(), v.object().ref().display(),
          v.object().origin().file(), v.object().origin().line());
      String next = v.level() == PssLevel.PRIVILEGED ? "baseline" : "restricted";
      for (Finding f : v.blockers()) {
        out.printf("              blocks %s: %s (%s, line %d)%n", next, f.message(), f.ruleId(), f.location().line());
      }
    }
  }

  private String verdict(ScanReport report) {
    return switch (report.exitCode()) {
      case 0 -> "Result: PASS (nothing at or above " + report.failOn().label() + ")";
      case 1 -> "Result: FAIL (findings at or above " + report.failOn().label() + ")";
      default -> "Result: INCOMPLETE (" + report.errors().size()
          + " input error" + (report.errors().size() == 1 ? "" : "s") + "; findings may be missing)";
    };
  }

  private void section(PrintWriter out, String title, List<Diagnostic> items) {
    if (items.isEmpty()) {
      return;
    }
    out.println();
    out.println(bold(title + " (" + items.size() + ")"));
    items.forEach(d -> out.println("  " + d.display()));
  }

  private static String format(double score) {
    return String.format(java.util.Locale.ROOT, "%.1f", score);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private String bold(String s) {
    return color ? "\u001b[1m" + s + RESET : s;
  }

  private String paint(Severity severity, String s) {
    if (!color) {
      return s;
    }
    String code = switch (severity) {
      case CRITICAL -> "\u001b[1;31m";
      case HIGH -> "\u001b[31m";
      case MEDIUM -> "\u001b[33m";
      case LOW -> "\u001b[36m";
      case INFO -> "\u001b[37m";
    };
    return code + s + RESET;
  }
}

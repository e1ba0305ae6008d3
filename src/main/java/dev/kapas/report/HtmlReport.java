package dev.kapas.report;

import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import dev.kapas.policy.PssVerdicts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The report as one self-contained HTML page, for people without a terminal: the score per layer as
 * an SVG chart, the findings in a table filterable by layer, severity, namespace and rule (each
 * with where, why and the fix), then suppressed findings, PSS verdicts, framework controls, input
 * errors, notes and warnings.
 *
 * <p>The page fetches nothing: its style and script are inline, and the page declares
 * {@link #CONTENT_SECURITY_POLICY}, which allows exactly those two blocks by their hashes and
 * nothing else (no inline attributes, no other origin). Every text from the input is
 * HTML-escaped, with control characters spelled out as in the table. Without script the page
 * shows every finding; the filters need script, and they read and write the URL fragment
 * ({@code report.html#severity=high&namespace=shop}) so that a filtered view can be linked. With
 * script the page shows the first 500 matching findings (a browser lays out tens of thousands of
 * rows slowly), and a button ({@code #show=N} in the fragment) shows more; every row stays in the
 * page.
 */
public final class HtmlReport implements ReportWriter {
  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");

  /**
   * The policy the page declares in a {@code <meta http-equiv>}: a server that serves the page
   * (kapas serve) may send the same one as a header.
   */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS)
      + "'; script-src '" + sha256(JS) + "'; img-src data:";

  /** A `quoted` part of a message; the backtick is no HTML special, so escaping leaves it. */
  private static final Pattern QUOTED = Pattern.compile("`([^`]*)`");

  /** Width of the score chart's bars at 100. */
  private static final int BAR = 300;

  private final String title;

  public HtmlReport() {
    this("kapas report");
  }

  /** A page with this title (kapas serve names the audit it shows). */
  public HtmlReport(String title) {
    this.title = title;
  }

  @Override
  public void write(ScanReport report, Writer out) throws IOException {
    out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n"
        + "<link rel=\"icon\" href=\"data:,\">\n"
        + "<title>" + esc(title) + "</title>\n<style>" + CSS + "</style>\n<script>" + JS + "</script>\n</head>\n<body>\n");
    writeHeader(out, report);
    out.write("<main>\n");
    writeScores(out, report);
    writeFindings(out, report);
    writeSuppressed(out, report);
    writeVerdicts(out, report);
    writeControls(out, report);
    writeDiagnostics(out, "Input errors", "errors", report.errors());
    writeDiagnostics(out, "Notes", "notes", report.notes());
    if (!report.warnings().isEmpty()) {
      out.write("<section id=\"warnings\">\n<h2>Warnings (" + report.warnings().size() + ")</h2>\n<ul class=\"plain\">\n");
      for (String w : report.warnings()) {
        out.write("<li>" + esc(w) + "</li>\n");
      }
      out.write("</ul>\n</section>\n");
    }
    out.write("</main>\n</body>\n</html>\n");
    out.flush();
  }

  private void writeHeader(Writer out, ScanReport report) throws IOException {
    String verdict = switch (report.exitCode()) {
      case 0 -> "<span class=\"verdict verdict-pass\">PASS</span> nothing at or above " + report.failOn().label();
      case 1 -> "<span class=\"verdict verdict-fail\">FAIL</span> findings at or above " + report.failOn().label();
      default -> "<span class=\"verdict verdict-incomplete\">INCOMPLETE</span> "
          + plural(report.errors().size(), "input error") + "; findings may be missing";
    };
    out.write("<header>\n<h1>" + esc(title) + "</h1>\n<p>kapas " + esc(report.toolVersion()) + ": "
        + esc(report.examined()) + ", " + plural(report.rules().size(), "rule") + " (framework "
        + esc(report.framework().id()) + ", PSS " + esc(report.pssVersion().toString()) + ")</p>\n<p id=\"verdict\">"
        + verdict + "</p>\n</header>\n");
  }

  /** The overall score and each scored layer's as a horizontal bar, in an inline SVG. */
  private void writeScores(Writer out, ScanReport report) throws IOException {
    Map<String, Double> bars = new java.util.LinkedHashMap<>();
    report.scores().overall().ifPresent(s -> bars.put("overall", s));
    for (Layer layer : Layer.values()) {
      Double s = report.scores().byLayer().get(layer);
      if (s != null) {
        bars.put(layer.label(), s);
      }
    }
    out.write("<section id=\"scores\">\n<h2>Score</h2>\n");
    if (bars.isEmpty()) {
      out.write("<p>Nothing was checked, so there is no score.</p>\n</section>\n");
      return;
    }
    int rowHeight = 28;
    int height = rowHeight * bars.size();
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(110 + BAR + 70)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(110 + BAR + 70).append(' ')
        .append(height).append("\" role=\"img\" aria-label=\"score per layer, out of 100\">\n");
    int y = 0;
    for (Map.Entry<String, Double> bar : bars.entrySet()) {
      double score = bar.getValue();
      svg.append("<g data-layer=\"").append(bar.getKey()).append("\"><title>").append(bar.getKey()).append(": ")
          .append(format(score)).append(" of 100</title>")
          .append("<text x=\"0\" y=\"").append(y + 18).append("\">").append(bar.getKey()).append("</text>")
          .append("<rect x=\"110\" y=\"").append(y + 5).append("\" width=\"").append(BAR)
          .append("\" height=\"18\" rx=\"3\" fill=\"#8c959f\" fill-opacity=\"0.25\"/>")
          .append("<rect x=\"110\" y=\"").append(y + 5).append("\" width=\"").append(format(score * BAR / 100))
          .append("\" height=\"18\" rx=\"3\" fill=\"").append(colour(score)).append("\"/>")
          .append("<text x=\"").append(110 + BAR + 8).append("\" y=\"").append(y + 18).append("\">")
          .append(format(score)).append("</text></g>\n");
      y += rowHeight;
    }
    out.write(svg.append("</svg>\n").toString());
    out.write("<p>" + report.scores().failedChecks() + " of " + plural(report.scores().checks(), "check")
        + " failed. Scores are out of 100; a layer without checks has none.</p>\n</section>\n");
  }

  private static String colour(double score) {
    return score >= 90 ? "#1a7f37" : score >= 70 ? "#bf8700" : "#d1242f";
  }

  private void writeFindings(Writer out, ScanReport report) throws IOException {
    List<Finding> active = report.findings().stream().filter(f -> !f.suppressed())
        .sorted(Comparator.comparing((Finding f) -> report.spec(f.ruleId()).layer())
            .thenComparing(Finding::severity).thenComparing(Finding::ruleId)
            .thenComparing(f -> f.location().file()).thenComparingInt(f -> f.location().line()))
        .toList();
    out.write("<section id=\"findings-section\">\n<h2>Findings</h2>\n<ul class=\"badges\">");
    for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
      out.write("<li><span class=\"sev sev-" + e.getKey().label() + "\">" + e.getValue() + " " + e.getKey().label()
          + "</span></li>");
    }
    out.write("</ul>\n");
    writeFilters(out, report, active);
    out.write("<p class=\"shown\" id=\"shown\">" + plural(active.size(), "finding") + "</p>\n"
        + "<table id=\"findings\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Why and fix</th></tr>"
        + "</thead>\n<tbody>\n");
    StringBuilder row = new StringBuilder(1024);
    for (Finding f : active) {
      RuleSpec spec = report.spec(f.ruleId());
      row.setLength(0);
      row.append("<tr data-layer=\"").append(spec.layer().label()).append("\" data-severity=\"")
          .append(f.severity().label()).append("\" data-namespace=\"").append(esc(f.object().namespace()))
          .append("\" data-rule=\"").append(esc(f.ruleId())).append("\">")
          .append("<td><span class=\"sev sev-").append(f.severity().label()).append("\">")
          .append(f.severity().label()).append("</span>");
      if (f.error()) {
        row.append(" <span class=\"sev status-error\">rule error</span>");
      }
      row.append("</td><td class=\"rule\"><code>").append(esc(f.ruleId())).append("</code><br><span class=\"title\">")
          .append(esc(spec.title())).append("</span></td><td>");
      where(row, f);
      row.append("</td><td><p class=\"why\">").append(prose(f.message())).append("</p><p class=\"fix\"><b>Fix:</b> ")
          .append(prose(spec.remediation())).append("</p></td></tr>\n");
      out.write(row.toString());
    }
    out.write("</tbody>\n</table>\n<button type=\"button\" class=\"more\" id=\"show-more\" hidden>Show more</button>\n");
    out.write(active.isEmpty() ? "<p>No findings.</p>\n"
        : "<p id=\"none-shown\" hidden>No finding matches the filters.</p>\n");
    out.write("</section>\n");
  }

  /** The object, its file:line (no line for a whole input or a fact without one) and field path. */
  private static void where(StringBuilder row, Finding f) {
    row.append("<span class=\"obj\">").append(esc(f.object().display())).append("</span><br><code>")
        .append(esc(f.location().file()));
    if (f.location().line() > 0) {
      row.append(':').append(f.location().line());
    }
    row.append("</code>");
    if (!f.location().path().isEmpty()) {
      row.append("<br><span class=\"path\">").append(esc(f.location().path())).append("</span>");
    }
  }

  /**
   * One select per dimension, hidden until the script shows it (without script they would do
   * nothing). Layers and severities list every value; namespaces and rules those of a finding.
   */
  private void writeFilters(Writer out, ScanReport report, List<Finding> active) throws IOException {
    Map<Layer, Integer> layers = new EnumMap<>(Layer.class);
    for (Layer l : Layer.values()) {
      layers.put(l, 0);
    }
    Map<Severity, Integer> severities = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      severities.put(s, 0);
    }
    Map<String, Integer> namespaces = new TreeMap<>();
    Map<String, Integer> rules = new TreeMap<>();
    for (Finding f : active) {
      layers.merge(report.spec(f.ruleId()).layer(), 1, Integer::sum);
      severities.merge(f.severity(), 1, Integer::sum);
      namespaces.merge(f.object().namespace(), 1, Integer::sum);
      rules.merge(f.ruleId(), 1, Integer::sum);
    }
    out.write("<div class=\"filters\" id=\"filters\" hidden>\n");
    select(out, "layer", "Layer", layers, Layer::label);
    select(out, "severity", "Severity", severities, Severity::label);
    select(out, "namespace", "Namespace", namespaces, ns -> ns);
    select(out, "rule", "Rule", rules, id -> id);
    out.write("<button type=\"button\" id=\"filter-reset\">Show all</button>\n</div>\n");
  }

  private static <K> void select(Writer out, String key, String label, Map<K, Integer> counts,
      Function<K, String> value) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("<label for=\"filter-").append(key).append("\">").append(label).append("<select id=\"filter-")
        .append(key).append("\"><option value=\"\">all</option>");
    counts.forEach((k, n) -> {
      String v = value.apply(k);
      String shown = key.equals("namespace") && v.isEmpty() ? "(no namespace)" : v;
      sb.append("<option value=\"").append(esc(v)).append("\">").append(esc(shown)).append(" (").append(n)
          .append(")</option>");
    });
    out.write(sb.append("</select></label>\n").toString());
  }

  private void writeSuppressed(Writer out, ScanReport report) throws IOException {
    List<Finding> suppressed = report.findings().stream().filter(Finding::suppressed).toList();
    if (suppressed.isEmpty()) {
      return;
    }
    out.write("<section id=\"suppressed\">\n<h2>Suppressed (" + suppressed.size() + ")</h2>\n<details><summary>"
        + plural(suppressed.size(), "finding") + " accepted by an exception or annotation</summary>\n"
        + "<table>\n<thead><tr><th>Rule</th><th>Where</th><th>Why it was accepted</th></tr></thead>\n<tbody>\n");
    StringBuilder row = new StringBuilder(512);
    for (Finding f : suppressed) {
      row.setLength(0);
      row.append("<tr><td><code>").append(esc(f.ruleId())).append("</code></td><td>");
      where(row, f);
      row.append("</td><td>").append(esc(f.suppression())).append("</td></tr>\n");
      out.write(row.toString());
    }
    out.write("</tbody>\n</table>\n</details>\n</section>\n");
  }

  private void writeVerdicts(Writer out, ScanReport report) throws IOException {
    if (report.pssVerdicts().isEmpty()) {
      return;
    }
    out.write("<section id=\"pss\">\n<h2>Pod Security Standards " + esc(report.pssVersion().toString())
        + " (highest level met)</h2>\n<table>\n<thead><tr><th>Level</th><th>Object</th><th>What blocks the next level"
        + "</th></tr></thead>\n<tbody>\n");
    for (PssVerdicts.Verdict v : report.pssVerdicts()) {
      StringBuilder row = new StringBuilder();
      row.append("<tr><td>").append(esc(v.level().label())).append("</td><td><span class=\"obj\">")
          .append(esc(v.object().ref().display())).append("</span><br><code>").append(esc(v.object().origin().file()))
          .append(':').append(v.object().origin().line()).append("</code></td><td>");
      if (!v.blockers().isEmpty()) {
        String next = v.level() == PssLevel.PRIVILEGED ? "baseline" : "restricted";
        row.append("<ul class=\"plain\">");
        for (Finding f : v.blockers()) {
          row.append("<li>blocks ").append(next).append(": ").append(esc(f.message())).append(" (<code>")
              .append(esc(f.ruleId())).append("</code>, line ").append(f.location().line()).append(")</li>");
        }
        row.append("</ul>");
      }
      out.write(row.append("</td></tr>\n").toString());
    }
    out.write("</tbody>\n</table>\n</section>\n");
  }

  private void writeControls(Writer out, ScanReport report) throws IOException {
    List<ScanReport.ControlResult> controls = report.controls();
    if (controls.isEmpty()) {
      return;
    }
    long failing = controls.stream().filter(c -> c.status().equals("fail")).count();
    out.write("<section id=\"controls\">\n<h2>" + esc(report.framework().title()) + ": " + failing + " of "
        + plural(controls.size(), "control") + " failing</h2>\n<table>\n<thead><tr><th>Control</th><th>Status</th>"
        + "<th>Title</th><th>Rules</th><th>Failed</th></tr></thead>\n<tbody>\n");
    for (ScanReport.ControlResult c : controls) {
      String detail = c.checks() == 0 ? esc(c.reason()) : c.failed() + " of " + c.checks();
      out.write("<tr><td>" + esc(c.id()) + "</td><td class=\"s-" + (c.status().equals("fail") ? "fail"
          : c.status().equals("pass") ? "pass" : "other") + "\">" + esc(c.status()) + "</td><td>" + esc(c.title())
          + "</td><td><code>" + esc(String.join(", ", c.ruleIds())) + "</code></td><td>" + detail + "</td></tr>\n");
    }
    out.write("</tbody>\n</table>\n</section>\n");
  }

  private void writeDiagnostics(Writer out, String heading, String id, List<Diagnostic> items) throws IOException {
    if (items.isEmpty()) {
      return;
    }
    out.write("<section id=\"" + id + "\">\n<h2>" + heading + " (" + items.size() + ")</h2>\n<ul class=\"plain\">\n");
    for (Diagnostic d : items) {
      out.write("<li><code>" + esc(d.display()) + "</code></li>\n");
    }
    out.write("</ul>\n</section>\n");
  }

  /** A message or fix, escaped, with its `quoted` parts (field names, values) set as code. */
  static String prose(String s) {
    return QUOTED.matcher(esc(s)).replaceAll("<code>$1</code>");
  }

  /**
   * Text as HTML element content or a quoted attribute value: control characters and
   * bidirectional overrides spelled out (as the table does), then the five HTML specials escaped.
   */
  static String esc(String s) {
    String text = Text.escape(s, Text::terminalChar);
    int i = 0;
    while (i < text.length() && "&<>\"'".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String format(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  /** {@code sha256-<base64>}: how a CSP names an inline block by its exact UTF-8 text. */
  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

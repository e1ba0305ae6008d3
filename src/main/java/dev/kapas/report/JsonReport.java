package dev.kapas.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.ReportedFact;
import dev.kapas.model.Severity;
import dev.kapas.policy.PssVerdicts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, a contract our tooling reads:
 * {@code {"findings":[{ruleId, title, severity, layer, status, message, remediation, object:
 * {apiVersion, kind, namespace, name}, location: {file, line, column, path}, suppression?}],
 * "errors":[{file, line, message}], "notes":[...], "warnings":[...], "summary":{...}}}, and per
 * {@link ReportedFact} section what was observed ({@code "probes":[{host, port, state, ...}]}).
 * Fields are only ever added, never renamed.
 */
public final class JsonReport implements JsonFormat {

  @Override
  public void write(ScanReport report, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("findings");
    for (Finding f : report.findings()) {
      writeFinding(g, report, f);
    }
    g.writeEndArray();
    writeDiagnostics(g, "errors", report.errors().stream().toList());
    writeDiagnostics(g, "notes", report.notes().stream().toList());
    g.writeArrayFieldStart("warnings");
    for (String w : report.warnings()) {
      g.writeString(w);
    }
    g.writeEndArray();
    if (!report.pssVerdicts().isEmpty()) {
      writeVerdicts(g, report);
    }
    writeFacts(g, report);
    writeSummary(g, report);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static void writeFinding(JsonGenerator g, ScanReport report, Finding f) throws IOException {
    g.writeStartObject();
    g.writeStringField("ruleId", f.ruleId());
    g.writeStringField("title", report.spec(f.ruleId()).title());
    g.writeStringField("severity", f.severity().label());
    g.writeStringField("layer", report.spec(f.ruleId()).layer().label());
    g.writeStringField("status", f.status());
    g.writeStringField("message", f.message());
    g.writeStringField("remediation", report.spec(f.ruleId()).remediation());
    Json.writeObject(g, f.object());
    g.writeObjectFieldStart("location");
    g.writeStringField("file", f.location().file());
    g.writeNumberField("line", f.location().line());
    g.writeNumberField("column", f.location().column());
    g.writeStringField("path", f.location().path());
    g.writeEndObject();
    if (f.suppressed()) {
      g.writeStringField("suppression", f.suppression());
    }
    g.writeEndObject();
  }

  private static void writeDiagnostics(JsonGenerator g, String name, java.util.List<Diagnostic> list)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Diagnostic d : list) {
      g.writeStartObject();
      g.writeStringField("file", d.file());
      g.writeNumberField("line", d.line());
      g.writeNumberField("column", d.column());
      g.writeStringField("message", d.message());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeVerdicts(JsonGenerator g, ScanReport report) throws IOException {
    g.writeArrayFieldStart("pss");
    for (PssVerdicts.Verdict v : report.pssVerdicts()) {
      g.writeStartObject();
      g.writeStringField("object", v.object().ref().display());
      g.writeStringField("file", v.object().origin().file());
      g.writeNumberField("line", v.object().origin().line());
      g.writeStringField("level", v.level().label());
      g.writeArrayFieldStart("blockers");
      for (Finding f : v.blockers()) {
        g.writeStartObject();
        g.writeStringField("ruleId", f.ruleId());
        g.writeStringField("message", f.message());
        g.writeNumberField("line", f.location().line());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Reported facts (a probe's ports: {@code "probes"}), one array per section. */
  private static void writeFacts(JsonGenerator g, ScanReport report) throws IOException {
    Map<String, List<ReportedFact>> sections = new LinkedHashMap<>();
    for (Fact f : report.evaluation().inventory().facts()) {
      if (f instanceof ReportedFact r) {
        sections.computeIfAbsent(r.reportSection(), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<ReportedFact>> e : sections.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      for (ReportedFact r : e.getValue()) {
        writeValue(g, r.reportFields());
      }
      g.writeEndArray();
    }
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value == null) {
      g.writeNull();
    } else {
      g.writeString(String.valueOf(value));
    }
  }

  private static void writeSummary(JsonGenerator g, ScanReport report) throws IOException {
    g.writeObjectFieldStart("summary");
    g.writeStringField("tool", "kapas " + report.toolVersion());
    g.writeStringField("framework", report.framework().id());
    g.writeStringField("pssVersion", report.pssVersion().toString());
    g.writeStringField("failOn", report.failOn().label());
    g.writeNumberField("objects", report.objectCount());
    g.writeNumberField("rules", report.rules().size());
    g.writeNumberField("checks", report.scores().checks());
    g.writeNumberField("failedChecks", report.scores().failedChecks());
    g.writeObjectFieldStart("findings");
    for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
      g.writeNumberField(e.getKey().label(), e.getValue());
    }
    g.writeEndObject();
    g.writeNumberField("suppressed", report.suppressedCount());
    g.writeNumberField("errors", report.errors().size());
    Json.writeScore(g, report);
    List<ScanReport.ControlResult> controls = report.controls();
    if (!controls.isEmpty()) {
      g.writeArrayFieldStart("controls");
      for (ScanReport.ControlResult c : controls) {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("status", c.status());
        g.writeNumberField("checks", c.checks());
        g.writeNumberField("failed", c.failed());
        g.writeArrayFieldStart("rules");
        for (String id : c.ruleIds()) {
          g.writeString(id);
        }
        g.writeEndArray();
        if (!c.title().isEmpty()) {
          g.writeStringField("title", c.title());
          g.writeStringField("group", c.group());
        }
        if (!c.reason().isEmpty()) {
          g.writeStringField("reason", c.reason());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeNumberField("exitCode", report.exitCode());
    g.writeEndObject();
  }
}

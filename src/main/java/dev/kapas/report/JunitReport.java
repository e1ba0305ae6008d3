package dev.kapas.report;

import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Subject;
import dev.kapas.model.Layer;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML for CI test views: one {@code testsuite} per layer, one {@code testcase} per rule and
 * evaluated object ({@code classname} is the rule ID, so tools group by layer, then rule). A
 * check passes, fails with every finding's message and file:line, or is skipped with the
 * reason it was suppressed. Input errors form an {@code inputs} suite of errors, so a partial
 * scan cannot look green.
 */
public final class JunitReport implements ReportWriter {
  private static final String INPUTS = "inputs";

  enum Outcome { PASS, FAILURE, SKIPPED, ERROR }

  /** One testcase, computed before writing since a suite's counts come first. */
  record Case(String classname, String name, String file, int line, Outcome outcome, String message,
      String type, String body) {}

  /** One testsuite; {@code score} is empty when the suite is not a scored layer. */
  record Suite(String name, String score, List<Case> cases) {}

  @Override
  public void write(ScanReport report, Writer out) throws IOException {
    List<Suite> suites = suites(report);
    try {
      XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuites");
      x.writeAttribute("name", "kapas " + report.toolVersion());
      writeCounts(x, suites.stream().flatMap(s -> s.cases().stream()).toList());
      for (Suite suite : suites) {
        writeSuite(x, suite);
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.flush();
      x.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    out.flush();
  }

  private static List<Suite> suites(ScanReport report) {
    Map<String, List<Finding>> byRuleAndObject = new LinkedHashMap<>();
    for (Finding f : report.findings()) {
      byRuleAndObject.computeIfAbsent(f.ruleId() + '\u0000' + f.objectKey(), k -> new ArrayList<>()).add(f);
    }
    Map<Layer, List<Case>> byLayer = new EnumMap<>(Layer.class);
    for (RuleSpec spec : report.rules().values()) {
      List<Case> cases = byLayer.computeIfAbsent(spec.layer(), k -> new ArrayList<>());
      for (Subject o : report.evaluation().evaluatedSubjects(spec.id())) {
        List<Finding> found = byRuleAndObject.remove(spec.id() + '\u0000' + o.key());
        cases.add(testcase(spec, o.ref().display(), o.origin().file(), o.origin().line(),
            found == null ? List.of() : found));
      }
    }
    // Findings on objects the engine did not mark as evaluated still get their testcase.
    for (List<Finding> found : byRuleAndObject.values()) {
      Finding first = found.get(0);
      RuleSpec spec = report.spec(first.ruleId());
      byLayer.computeIfAbsent(spec.layer(), k -> new ArrayList<>())
          .add(testcase(spec, first.object().display(), first.location().file(), first.location().line(), found));
    }
    List<Suite> suites = new ArrayList<>();
    byLayer.forEach((layer, cases) -> {
      Double score = report.scores().byLayer().get(layer);
      suites.add(new Suite(layer.label(), score == null ? "" : String.valueOf(score), cases));
    });
    if (!report.errors().isEmpty()) {
      suites.add(new Suite(INPUTS, "", report.errors().stream().map(JunitReport::inputError).toList()));
    }
    return suites;
  }

  private static Case testcase(RuleSpec spec, String object, String file, int line, List<Finding> found) {
    String name = object + " (" + file + ")";
    List<Finding> active = found.stream().filter(f -> !f.suppressed()).toList();
    if (!active.isEmpty()) {
      StringBuilder body = new StringBuilder();
      for (Finding f : active) {
        body.append(f.message()).append("\n  at ").append(f.location().file()).append(':')
            .append(f.location().line()).append(':').append(f.location().column())
            .append(" (").append(f.location().path()).append(")\n");
      }
      body.append("fix: ").append(spec.remediation());
      String message = active.get(0).message() + (active.size() > 1 ? " (and " + (active.size() - 1) + " more)" : "");
      return new Case(spec.id(), name, file, active.get(0).location().line(), Outcome.FAILURE, message,
          active.get(0).severity().label(), body.toString());
    }
    if (!found.isEmpty()) {
      String reasons = found.stream().map(Finding::suppression).distinct().collect(Collectors.joining("; "));
      return new Case(spec.id(), name, file, found.get(0).location().line(), Outcome.SKIPPED,
          "suppressed: " + reasons, "", "");
    }
    return new Case(spec.id(), name, file, line, Outcome.PASS, "", "", "");
  }

  private static Case inputError(Diagnostic d) {
    return new Case("kapas." + INPUTS, d.file(), d.file(), d.line(), Outcome.ERROR, d.message(), "input-error",
        d.display());
  }

  private static void writeSuite(XMLStreamWriter x, Suite suite) throws XMLStreamException {
    x.writeCharacters("\n  ");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", suite.name());
    writeCounts(x, suite.cases());
    if (!suite.score().isEmpty()) {
      x.writeCharacters("\n    ");
      x.writeStartElement("properties");
      x.writeCharacters("\n      ");
      x.writeEmptyElement("property");
      x.writeAttribute("name", "score");
      x.writeAttribute("value", suite.score());
      x.writeCharacters("\n    ");
      x.writeEndElement();
    }
    for (Case c : suite.cases()) {
      writeCase(x, c);
    }
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  private static void writeCase(XMLStreamWriter x, Case c) throws XMLStreamException {
    x.writeCharacters("\n    ");
    boolean empty = c.outcome() == Outcome.PASS;
    if (empty) {
      x.writeEmptyElement("testcase");
    } else {
      x.writeStartElement("testcase");
    }
    x.writeAttribute("classname", clean(c.classname()));
    x.writeAttribute("name", clean(c.name()));
    x.writeAttribute("file", clean(c.file()));
    if (c.line() > 0) {
      x.writeAttribute("line", String.valueOf(c.line()));
    }
    x.writeAttribute("time", "0");
    if (empty) {
      return;
    }
    x.writeCharacters("\n      ");
    switch (c.outcome()) {
      case SKIPPED -> {
        x.writeEmptyElement("skipped");
        x.writeAttribute("message", oneLine(c.message()));
      }
      case FAILURE, ERROR -> {
        x.writeStartElement(c.outcome() == Outcome.FAILURE ? "failure" : "error");
        x.writeAttribute("message", oneLine(c.message()));
        x.writeAttribute("type", clean(c.type()));
        x.writeCharacters(clean(c.body()));
        x.writeEndElement();
      }
      case PASS -> throw new IllegalStateException("a passing testcase has no child");
    }
    x.writeCharacters("\n    ");
    x.writeEndElement();
  }

  private static void writeCounts(XMLStreamWriter x, List<Case> cases) throws XMLStreamException {
    x.writeAttribute("tests", String.valueOf(cases.size()));
    x.writeAttribute("failures", String.valueOf(count(cases, Outcome.FAILURE)));
    x.writeAttribute("errors", String.valueOf(count(cases, Outcome.ERROR)));
    x.writeAttribute("skipped", String.valueOf(count(cases, Outcome.SKIPPED)));
    x.writeAttribute("time", "0");
  }

  private static long count(List<Case> cases, Outcome outcome) {
    return cases.stream().filter(c -> c.outcome() == outcome).count();
  }

  private static String oneLine(String s) {
    return clean(s).replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /**
   * XML 1.0 cannot carry most control characters, even escaped, and a lone surrogate cannot be
   * encoded; input text may hold either, so they are spelled out as {@code \\uXXXX}.
   */
  static String clean(String s) {
    return Text.escape(s, Text::xmlChar);
  }
}

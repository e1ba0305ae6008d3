package dev.kapas.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import dev.kapas.policy.Policy;
import dev.kapas.source.manifest.ManifestSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run; the rules that ran as {@code
 * tool.driver.rules} (metadata from each {@link RuleSpec}); each finding a result on its file,
 * line and column; suppressed findings kept with a {@code suppressions} entry; input errors,
 * skipped inputs and policy warnings as notifications of the invocation. Input paths within the
 * working directory become URIs relative to {@code %SRCROOT%} (declared as that directory), so
 * code-scanning annotations land on the right file of the repository.
 */
public final class SarifReport implements JsonFormat {
  static final String SCHEMA_URI =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  static final String INFORMATION_URI = "https://kapas.dev";
  static final String SRCROOT = "%SRCROOT%";
  private final Path baseDir;

  /** @param baseDir the absolute directory relative input paths are relative to */
  public SarifReport(Path baseDir) {
    this.baseDir = baseDir.normalize();
  }

  @Override
  public void write(ScanReport report, JsonGenerator g) throws IOException {
    List<RuleSpec> rules = new ArrayList<>(report.rules().values());
    Map<String, Integer> ruleIndex = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      ruleIndex.put(rules.get(i).id(), i);
    }
    g.writeStartObject();
    g.writeStringField("$schema", SCHEMA_URI);
    g.writeStringField("version", "2.1.0");
    g.writeArrayFieldStart("runs");
    g.writeStartObject();
    writeTool(g, report, rules);
    writeInvocation(g, report);
    g.writeArrayFieldStart("results");
    for (Finding f : report.findings()) {
      writeResult(g, f, report.spec(f.ruleId()).layer(), ruleIndex.get(f.ruleId()));
    }
    g.writeEndArray();
    g.writeStringField("columnKind", "unicodeCodePoints");
    g.writeObjectFieldStart("originalUriBaseIds");
    g.writeObjectFieldStart(SRCROOT);
    String root = baseDir.toUri().toString();
    g.writeStringField("uri", root.endsWith("/") ? root : root + "/");
    g.writeEndObject();
    g.writeEndObject();
    writeRunProperties(g, report);
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static void writeTool(JsonGenerator g, ScanReport report, List<RuleSpec> rules) throws IOException {
    g.writeObjectFieldStart("tool");
    g.writeObjectFieldStart("driver");
    g.writeStringField("name", "kapas");
    g.writeStringField("version", report.toolVersion());
    g.writeStringField("informationUri", INFORMATION_URI);
    g.writeArrayFieldStart("rules");
    for (RuleSpec spec : rules) {
      writeRule(g, spec);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeRule(JsonGenerator g, RuleSpec spec) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", spec.id());
    g.writeStringField("name", ruleName(spec.id()));
    text(g, "shortDescription", spec.title());
    text(g, "fullDescription", spec.why());
    g.writeObjectFieldStart("help");
    g.writeStringField("text", spec.why() + "\n\nFix: " + spec.remediation()
        + (spec.references().isEmpty() ? "" : "\n\nReferences:\n" + String.join("\n", spec.references())));
    g.writeStringField("markdown", helpMarkdown(spec));
    g.writeEndObject();
    if (!spec.references().isEmpty()) {
      g.writeStringField("helpUri", spec.references().get(0));
    }
    g.writeObjectFieldStart("defaultConfiguration");
    g.writeStringField("level", level(spec.severity()));
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeArrayFieldStart("tags");
    g.writeString("security");
    g.writeString("kubernetes");
    g.writeString(spec.layer().label());
    if (spec.isPss()) {
      g.writeString("pss-" + spec.pssLevel().label());
    }
    for (RuleSpec.Control c : spec.controls()) {
      g.writeString(c.framework());
    }
    g.writeEndArray();
    g.writeStringField("security-severity", securitySeverity(spec.severity()));
    g.writeStringField("severity", spec.severity().label());
    g.writeStringField("layer", spec.layer().label());
    g.writeStringField("precision", "high");
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String helpMarkdown(RuleSpec spec) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(spec.title()).append("** (`").append(spec.id()).append("`, severity ")
        .append(spec.severity().label()).append(", layer ").append(spec.layer().label()).append(")\n\n")
        .append(spec.why()).append("\n\n**Fix:** ").append(spec.remediation()).append('\n');
    if (!spec.controls().isEmpty()) {
      md.append("\n**Frameworks:**");
      spec.controls().forEach(c -> md.append(' ').append(c.framework()).append(' ').append(c.id()).append(';'));
      md.setLength(md.length() - 1);
      md.append('\n');
    }
    if (!spec.references().isEmpty()) {
      md.append("\n**References:**\n\n");
      spec.references().forEach(r -> md.append("- <").append(r).append(">\n"));
    }
    return md.toString();
  }

  private void writeResult(JsonGenerator g, Finding f, Layer layer, int ruleIndex) throws IOException {
    g.writeStartObject();
    g.writeStringField("ruleId", f.ruleId());
    g.writeNumberField("ruleIndex", ruleIndex);
    g.writeStringField("kind", "fail");
    g.writeStringField("level", level(f.severity()));
    text(g, "message", f.message());
    g.writeArrayFieldStart("locations");
    g.writeStartObject();
    writePhysicalLocation(g, f.location().file(), f.location().line(), f.location().column());
    g.writeArrayFieldStart("logicalLocations");
    g.writeStartObject();
    g.writeStringField("name", f.object().name());
    g.writeStringField("fullyQualifiedName", f.object().display());
    g.writeStringField("kind", "object");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("partialFingerprints");
    g.writeStringField("kapasFinding/v1", fingerprint(f));
    g.writeEndObject();
    if (f.suppressed()) {
      g.writeArrayFieldStart("suppressions");
      g.writeStartObject();
      g.writeStringField("kind", suppressionKind(f));
      g.writeStringField("status", "accepted");
      g.writeStringField("justification", f.suppression());
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeObjectFieldStart("properties");
    g.writeStringField("severity", f.severity().label());
    g.writeStringField("layer", layer.label());
    g.writeStringField("path", f.location().path());
    Json.writeObject(g, f.object());
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeInvocation(JsonGenerator g, ScanReport report) throws IOException {
    g.writeArrayFieldStart("invocations");
    g.writeStartObject();
    // SARIF: false when the tool failed to analyse some input; an input that could not be read may
    // hide results, and a consumer that trusts "successful" would take the run as complete
    g.writeBooleanField("executionSuccessful", report.errors().isEmpty());
    g.writeNumberField("exitCode", report.exitCode());
    g.writeArrayFieldStart("toolExecutionNotifications");
    for (Diagnostic d : report.errors()) {
      writeNotification(g, "error", "input-error", d.message(), Optional.of(d));
    }
    for (Diagnostic d : report.notes()) {
      writeNotification(g, "note", "input-skipped", d.message(), Optional.of(d));
    }
    g.writeEndArray();
    g.writeArrayFieldStart("toolConfigurationNotifications");
    for (String w : report.warnings()) {
      writeNotification(g, "warning", "policy-warning", w, Optional.empty());
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
  }

  private void writeNotification(JsonGenerator g, String level, String id, String message,
      Optional<Diagnostic> at) throws IOException {
    g.writeStartObject();
    g.writeStringField("level", level);
    text(g, "message", message);
    g.writeObjectFieldStart("descriptor");
    g.writeStringField("id", id);
    g.writeEndObject();
    if (at.isPresent()) {
      g.writeArrayFieldStart("locations");
      g.writeStartObject();
      writePhysicalLocation(g, at.get().file(), at.get().line(), at.get().column());
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Nothing for stdin: it has no URI, the logical location (the object) still names it. */
  private void writePhysicalLocation(JsonGenerator g, String file, int line, int column)
      throws IOException {
    Optional<ArtifactUri> uri = artifactUri(file, baseDir);
    if (uri.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("physicalLocation");
    g.writeObjectFieldStart("artifactLocation");
    g.writeStringField("uri", uri.get().uri());
    if (uri.get().relative()) {
      g.writeStringField("uriBaseId", SRCROOT);
    }
    g.writeEndObject();
    if (line > 0) {
      g.writeObjectFieldStart("region");
      g.writeNumberField("startLine", line);
      if (column > 0) {
        g.writeNumberField("startColumn", column);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeRunProperties(JsonGenerator g, ScanReport report) throws IOException {
    g.writeObjectFieldStart("properties");
    g.writeStringField("framework", report.framework().id());
    g.writeStringField("pssVersion", report.pssVersion().toString());
    g.writeStringField("failOn", report.failOn().label());
    Json.writeScore(g, report);
    g.writeEndObject();
  }

  private static void text(JsonGenerator g, String field, String text) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  /** A file as SARIF wants it: a relative URI reference (against %SRCROOT%) or a file: URI. */
  record ArtifactUri(String uri, boolean relative) {}

  static Optional<ArtifactUri> artifactUri(String file, Path baseDir) {
    if (file.isEmpty() || file.equals(ManifestSource.STDIN)) {
      return Optional.empty();
    }
    String slashed = file.replace('\\', '/');
    Path path;
    try {
      path = Path.of(slashed).normalize();
    } catch (InvalidPathException e) {
      return Optional.of(new ArtifactUri(encodePath(slashed), !slashed.startsWith("/")));
    }
    // Relative paths are relative to the working directory; one that climbs out of it (../x)
    // is outside the repository too, so it gets an absolute URI like any other outside path.
    Path absolute = baseDir.resolve(path).normalize();
    if (!absolute.startsWith(baseDir) || absolute.equals(baseDir)) {
      return Optional.of(new ArtifactUri(absolute.toUri().toString(), false));
    }
    return Optional.of(new ArtifactUri(encodePath(baseDir.relativize(absolute).toString().replace('\\', '/')), true));
  }

  /** Percent-encodes all but unreserved characters and {@code /} (RFC 3986). */
  private static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c == '/' || c == '-' || c == '.' || c == '_' || c == '~'
          || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  // Policy marks how a finding was suppressed only in its reason text; an annotation on the
  // object is in the source, a config exception is external to it.
  private static String suppressionKind(Finding f) {
    return f.suppression().startsWith("annotation " + Policy.IGNORE_ANNOTATION) ? "inSource" : "external";
  }

  /** Stable across line moves: the rule, the object and the field path, not the line. */
  private static String fingerprint(Finding f) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String key = f.ruleId() + '\u0000' + f.objectKey() + '\u0000' + f.location().path();
      return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code cluster.privileged-container} becomes {@code PrivilegedContainer}. */
  static String ruleName(String ruleId) {
    StringBuilder sb = new StringBuilder();
    for (String word : ruleId.substring(ruleId.indexOf('.') + 1).split("-")) {
      if (!word.isEmpty()) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return sb.toString();
  }

  static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  /** GitHub's bands: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
  static String securitySeverity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "0.0";
    };
  }
}

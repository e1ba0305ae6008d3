package dev.kapas.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The report formats {@code --format} accepts. */
public enum ReportFormat {
  TABLE, JSON, SARIF, JUNIT,
  /** One self-contained page: findings filterable in a browser, the score per layer as a chart. */
  HTML,
  /** CycloneDX 1.6 JSON: the SBOM of the image read, not a findings report. */
  CYCLONEDX,
  /** SPDX 2.3 JSON: the SBOM of the image read, not a findings report. */
  SPDX_JSON;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether this is an SBOM of what was read rather than a report of findings. */
  public boolean isSbom() {
    return this == CYCLONEDX || this == SPDX_JSON;
  }

  /**
   * The writer of this format.
   *
   * @param color whether the table may use ANSI colours
   * @param baseDir the absolute directory relative input paths are relative to (the working
   *     directory); SARIF anchors its relative URIs there
   */
  public ReportWriter writer(boolean color, Path baseDir) {
    return switch (this) {
      case TABLE -> new TableReport(color);
      case JSON -> new JsonReport();
      case SARIF -> new SarifReport(baseDir);
      case JUNIT -> new JunitReport();
      case HTML -> new HtmlReport();
      case CYCLONEDX -> new SbomReport(true);
      case SPDX_JSON -> new SbomReport(false);
    };
  }

  public static Optional<ReportFormat> parse(String text) {
    return Arrays.stream(values()).filter(f -> f.id().equalsIgnoreCase(text.trim())).findFirst();
  }

  /**
   * The format a file name implies: .sarif and .sarif.json are SARIF, .cdx.json CycloneDX,
   * .spdx.json SPDX, .json JSON, .xml JUnit, .html and .htm HTML, .txt a table; any other name implies
   * nothing.
   */
  public static Optional<ReportFormat> ofFile(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".sarif") || n.endsWith(".sarif.json")) {
      return Optional.of(SARIF);
    }
    if (n.endsWith(".cdx.json")) {
      return Optional.of(CYCLONEDX);
    }
    if (n.endsWith(".spdx.json")) {
      return Optional.of(SPDX_JSON);
    }
    if (n.endsWith(".json")) {
      return Optional.of(JSON);
    }
    if (n.endsWith(".html") || n.endsWith(".htm")) {
      return Optional.of(HTML);
    }
    if (n.endsWith(".xml")) {
      return Optional.of(JUNIT);
    }
    return n.endsWith(".txt") ? Optional.of(TABLE) : Optional.empty();
  }

  /** Whether this format may go to {@code file} without contradicting its extension. */
  public boolean suits(Path file) {
    Optional<ReportFormat> implied = ofFile(file);
    // SARIF and the SBOMs are JSON, and results.json or sbom.json are common names for them.
    return implied.isEmpty() || implied.get() == this || ((this == SARIF || isSbom()) && implied.get() == JSON);
  }

  public static String names() {
    return Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", "));
  }
}

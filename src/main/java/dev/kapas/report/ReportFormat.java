package dev.kapas.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The report formats {@code --format} accepts. */
public enum ReportFormat {
  TABLE, JSON, SARIF, JUNIT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public ReportWriter writer(boolean color) {
    return switch (this) {
      case TABLE -> new TableReport(color);
      case JSON -> new JsonReport();
      case SARIF -> new SarifReport();
      case JUNIT -> new JunitReport();
    };
  }

  public static Optional<ReportFormat> parse(String text) {
    return Arrays.stream(values()).filter(f -> f.id().equalsIgnoreCase(text.trim())).findFirst();
  }

  /** The format a file name suggests: .json, .sarif, .xml (JUnit); anything else is a table. */
  public static ReportFormat forFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".sarif") || name.endsWith(".sarif.json")) {
      return SARIF;
    }
    if (name.endsWith(".json")) {
      return JSON;
    }
    return name.endsWith(".xml") ? JUNIT : TABLE;
  }

  public static String names() {
    return Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", "));
  }
}

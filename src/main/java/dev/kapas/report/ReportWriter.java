package dev.kapas.report;

import java.io.IOException;
import java.io.Writer;

/** Renders a {@link ScanReport} in one format. */
public interface ReportWriter {
  void write(ScanReport report, Writer out) throws IOException;
}

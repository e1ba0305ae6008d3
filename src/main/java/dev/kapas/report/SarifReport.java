package dev.kapas.report;

import java.io.IOException;
import java.io.Writer;

/** TEMPORARY placeholder, replaced before this format is offered. */
public final class SarifReport implements ReportWriter {
  @Override
  public void write(ScanReport report, Writer out) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }
}

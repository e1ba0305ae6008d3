package dev.kapas.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Renders a {@link ScanReport} in one format. */
public interface ReportWriter {
  void write(ScanReport report, Writer out) throws IOException;

  /**
   * Writes the report as UTF-8 to a byte stream (a report file). Formats that encode bytes
   * themselves override this: the JSON formats write tens of megabytes for a large scan, and
   * skipping the character encoder saves a good part of that time.
   */
  default void write(ScanReport report, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    write(report, w);
    w.flush();
  }
}

package dev.kapas.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * A report written through a Jackson generator ({@link Json#generator}): to a writer for stdout,
 * or straight to bytes for a file, where the generator encodes UTF-8 itself.
 */
interface JsonFormat extends ReportWriter {
  /** Writes the whole document, ending with a newline. */
  void write(ScanReport report, JsonGenerator g) throws IOException;

  @Override
  default void write(ScanReport report, Writer out) throws IOException {
    try (JsonGenerator g = Json.generator(out)) {
      write(report, g);
    }
    out.flush();
  }

  @Override
  default void write(ScanReport report, OutputStream out) throws IOException {
    try (JsonGenerator g = Json.generator(out)) {
      write(report, g);
    }
    out.flush();
  }
}

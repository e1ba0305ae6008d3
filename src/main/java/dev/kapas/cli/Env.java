package dev.kapas.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What a command may touch outside itself: its streams, the working directory (for {@code
 * .kapas.yaml}), today's date (for exception expiry) and whether stdout/stderr are terminals.
 */
public record Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, LocalDate today,
    boolean interactive) {

  public static Env system() {
    return new Env(System.in, writer(System.out), writer(System.err), Path.of("").toAbsolutePath(),
        LocalDate.now(), System.console() != null);
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}

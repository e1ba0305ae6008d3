package dev.kapas.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a command may touch outside itself: its streams, the working directory (for {@code
 * .kapas.yaml}), today's date (for exception expiry), whether stdout/stderr are terminals, and
 * the environment variables (such as {@code NO_COLOR}).
 */
public record Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, Supplier<LocalDate> date,
    boolean interactive, Map<String, String> variables) {

  public Env {
    variables = Map.copyOf(variables);
  }

  public Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, LocalDate today,
      boolean interactive, Map<String, String> variables) {
    this(in, out, err, workingDir, () -> today, interactive, variables);
  }

  /** An environment without variables. */
  public Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, LocalDate today,
      boolean interactive) {
    this(in, out, err, workingDir, today, interactive, Map.of());
  }

  /**
   * The system's streams and variables. Today's date is read when first asked for: the first
   * LocalDate.now() loads the time-zone database (about 15 ms of a start-up), and most scans
   * never ask (only exceptions with an expiry, and some cluster and image checks, do).
   */
  public static Env system() {
    return new Env(System.in, writer(System.out), writer(System.err), Path.of("").toAbsolutePath(),
        new Today(), System.console() != null, System.getenv());
  }

  /** Today's date (for exception expiry and support dates). */
  public LocalDate today() {
    return date.get();
  }

  /** The system's date, read once. */
  private static final class Today implements Supplier<LocalDate> {
    private LocalDate today;

    @Override
    public synchronized LocalDate get() {
      if (today == null) {
        today = LocalDate.now();
      }
      return today;
    }
  }

  /** Colour is for terminals, unless the user opted out (https://no-color.org) or TERM=dumb. */
  public boolean colorAllowed() {
    return interactive && variables.getOrDefault("NO_COLOR", "").isEmpty()
        && !"dumb".equals(variables.get("TERM"));
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}

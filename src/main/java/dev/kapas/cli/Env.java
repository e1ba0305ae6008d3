package dev.kapas.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a command may touch outside itself: its streams, the working directory (for {@code
 * .kapas.yaml}), today's date (for exception expiry), whether stdout/stderr are terminals, and
 * the environment variables (such as {@code NO_COLOR}).
 */
public record Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, LocalDate today,
    boolean interactive, Map<String, String> variables) {

  public Env {
    variables = Map.copyOf(variables);
  }

  /** An environment without variables. */
  public Env(InputStream in, PrintWriter out, PrintWriter err, Path workingDir, LocalDate today,
      boolean interactive) {
    this(in, out, err, workingDir, today, interactive, Map.of());
  }

  public static Env system() {
    return new Env(System.in, writer(System.out), writer(System.err), Path.of("").toAbsolutePath(),
        LocalDate.now(), System.console() != null, System.getenv());
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

package dev.kapas.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;

/** Runs the CLI in-process, as {@code Main} would, with captured streams. */
public record CliRun(int exitCode, String out, String err) {

  public static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

  public static CliRun in(Path workingDir, String... args) {
    return withStdin(workingDir, "", args);
  }

  public static CliRun withStdin(Path workingDir, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Env env = new Env(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), workingDir, TODAY, false);
    int code = Kapas.run(args, env);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** stdout and stderr together, for assertions that do not care where a line went. */
  public String all() {
    return out + err;
  }
}

package dev.kapas.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real CLI in-process, as {@code Main} would, with captured streams.
 *
 * @param exit the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record CliRun(int exit, String out, String err) {
  /** The report fixtures: workloads with an active, an annotated and an excepted finding, and a broken file. */
  public static final String FIXTURES = "src/test/resources/reports/";
  public static final String WORKLOADS = FIXTURES + "workloads.yaml";
  public static final String BROKEN = FIXTURES + "broken.yaml";
  public static final String CONFIG = FIXTURES + "kapas.yaml";

  public static CliRun run(String... args) {
    return run(false, Map.of(), args);
  }

  public static CliRun run(boolean interactive, Map<String, String> variables, String... args) {
    return run(new byte[0], interactive, variables, args);
  }

  /** With {@code stdin} as standard input, for {@code kapas scan -}. */
  public static CliRun withStdin(byte[] stdin, String... args) {
    return run(stdin, false, Map.of(), args);
  }

  private static CliRun run(byte[] stdin, boolean interactive, Map<String, String> variables, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Env env = new Env(new ByteArrayInputStream(stdin), new PrintWriter(out, true), new PrintWriter(err, true),
        Path.of("").toAbsolutePath(), LocalDate.of(2026, 1, 15), interactive, variables);
    int exit = Kapas.run(args, env);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** {@code kapas scan} of the report fixtures with their config, plus {@code extra} options. */
  public static CliRun scanFixtures(String... extra) {
    List<String> args = new ArrayList<>(List.of("scan", WORKLOADS, BROKEN, "--config", CONFIG));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }
}

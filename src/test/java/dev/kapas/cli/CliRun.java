package dev.kapas.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process, as {@code Main} would, with captured streams. */
public record CliRun(int exitCode, String out, String err) {

  public static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

  /** The report fixtures: workloads with an active, an annotated and an excepted finding, and a broken file. */
  public static final String FIXTURES = "src/test/resources/reports/";
  public static final String WORKLOADS = FIXTURES + "workloads.yaml";
  public static final String BROKEN = FIXTURES + "broken.yaml";
  public static final String CONFIG = FIXTURES + "kapas.yaml";

  public static CliRun in(Path workingDir, String... args) {
    return withStdin(workingDir, "", args);
  }

  /** In {@code workingDir} with these environment variables. */
  public static CliRun in(Path workingDir, Map<String, String> variables, String... args) {
    return run(workingDir, "", false, variables, args);
  }

  public static CliRun withStdin(Path workingDir, String stdin, String... args) {
    return run(workingDir, stdin, false, Map.of(), args);
  }

  /** In the project directory, so that the fixture paths above resolve. */
  public static CliRun run(String... args) {
    return run(false, Map.of(), args);
  }

  /** As if on a terminal ({@code interactive}) with these environment variables. */
  public static CliRun run(boolean interactive, Map<String, String> variables, String... args) {
    return run(Path.of("").toAbsolutePath(), "", interactive, variables, args);
  }

  /** {@code kapas scan} of the report fixtures with their config, plus {@code extra} options. */
  public static CliRun scanFixtures(String... extra) {
    List<String> args = new ArrayList<>(List.of("scan", WORKLOADS, BROKEN, "--config", CONFIG,
        // the report tests are about formats, not rules: one rule keeps their counts stable
        "--rules", "cluster.privileged-container"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static CliRun run(Path workingDir, String stdin, boolean interactive, Map<String, String> variables,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Env env = new Env(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), workingDir, TODAY, interactive, variables);
    int code = Kapas.run(args, env);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** stdout and stderr together, for assertions that do not care where a line went. */
  public String all() {
    return out + err;
  }
}

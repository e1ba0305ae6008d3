package dev.kapas.cli;

import dev.kapas.source.Failures;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.ConfigLoader;
import dev.kapas.policy.FailOn;
import dev.kapas.policy.Framework;
import dev.kapas.policy.Policy;
import dev.kapas.policy.PssVerdicts;
import dev.kapas.policy.Scores;
import dev.kapas.report.ReportFormat;
import dev.kapas.report.ReportWriter;
import dev.kapas.report.ScanReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The report and policy options every scanning command shares ({@code -f}, {@code -o},
 * {@code --fail-on}, {@code --config}, {@code --no-color}) and what they drive: loading the config,
 * pairing formats with outputs, writing the reports, the exit code. A picocli mixin, so each
 * command offers them the same way.
 */
final class ReportOptions {
  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", parameterConsumer = ReportArg.Consumer.class,
      description = "Report format: table (default), json, sarif, junit, html; for kapas image also cyclonedx and "
          + "spdx-json (the image's SBOM instead of findings). Repeatable: each --format "
          + "pairs with the --output that follows it; a --format not followed by one goes to stdout "
          + "(at most one report may).")
  List<String> formats = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", parameterConsumer = ReportArg.Consumer.class,
      description = "Write the report to FILE (- for stdout). Repeatable. Without a --format just "
          + "before it, the extension says which: .json, .sarif, .xml (junit), .html, .txt (table).")
  List<String> outputs = new ArrayList<>();

  /** --format and --output in command-line order, which pairs them. */
  private final List<ReportArg> reportArgs = new ArrayList<>();
  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when an unsuppressed finding is at or above this: critical, high, "
          + "medium, low, info or none. Default: failOn from the config, else high.")
  String failOn;
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Config file (default: .kapas.yaml in the working directory, if present).")
  Path config;

  @Option(names = "--no-color", description = "Never colour the table, even on a terminal.")
  boolean noColor;
  static ExitCode exitCode(Inventory inventory, List<Finding> findings, FailOn threshold) {
    if (!inventory.errors().isEmpty()) {
      return ExitCode.INPUT_ERROR;
    }
    boolean trips = findings.stream().anyMatch(f -> !f.suppressed() && threshold.trips(f.severity()));
    return trips ? ExitCode.FINDINGS : ExitCode.OK;
  }
  Config loadConfig(RuleCatalog catalog, Env env) throws ConfigException {
    ConfigLoader loader = new ConfigLoader(catalog);
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new ConfigException(config.toString(), 0, "config file not found");
      }
      return loader.load(config);
    }
    Path implicit = env.workingDir().resolve(ConfigLoader.DEFAULT_NAME);
    return Files.isRegularFile(implicit) ? loader.load(implicit) : Config.empty();
  }

  /** Whether the command writes SBOMs (-f cyclonedx, -f spdx-json): it reads images. */
  boolean sbomFormats;

  /** What a scanning command settles before reading anything: the config, the threshold, the reports. */
  record Prepared(Config config, FailOn threshold, List<ReportTarget> targets) {}

  /**
   * Loads the config, reads --fail-on and pairs --format with --output; on a usage error says why
   * on stderr (prefixed with {@code command}) and returns empty.
   */
  Optional<Prepared> prepare(RuleCatalog catalog, Env env, String command) {
    try {
      Config cfg = loadConfig(catalog, env);
      Optional<FailOn> threshold = threshold(cfg);
      if (threshold.isEmpty()) {
        env.err().println(command + ": " + badThreshold());
        return Optional.empty();
      }
      return Optional.of(new Prepared(cfg, threshold.get(), targets(env)));
    } catch (ConfigException e) {
      env.err().println(command + ": " + e.display());
    } catch (IllegalArgumentException e) {
      env.err().println(command + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * How every scanning command ends: the policy over the findings ({@code adjust} may annotate them,
   * as scan does with chart value sources), the scores, every report written; returns the exit code
   * (usage when a report could not be written).
   */
  int finish(String command, Prepared prepared, RuleCatalog catalog, Evaluation evaluation, Framework framework,
      PssVersion pssVersion, List<PssVerdicts.Verdict> verdicts, Env env, UnaryOperator<List<Finding>> adjust) {
    Inventory inventory = evaluation.inventory();
    Config cfg = prepared.config();
    Policy.Outcome outcome = new Policy(cfg, catalog, env::today).apply(evaluation.findings(), inventory);
    List<Finding> findings = adjust.apply(outcome.findings());
    Scores scores = Scores.of(evaluation, findings, inventory.errors().size());
    ExitCode exit = exitCode(inventory, findings, prepared.threshold());
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    evaluation.rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    ScanReport report = new ScanReport(Kapas.version(), framework, pssVersion, prepared.threshold(), ran, findings,
        inventory.errors(), inventory.notes(), outcome.warnings(), scores, evaluation, verdicts, exit.code());
    return writeAll(command, prepared.targets(), report, env) ? exit.code() : ExitCode.USAGE.code();
  }

  /** A report format and where it goes (empty: stdout). */
  record ReportTarget(ReportFormat format, Optional<Path> file) {
    String where() {
      return file.map(Path::toString).orElse("stdout");
    }
  }

  /** One --format or --output as given; picocli hands both to one list so their order survives. */
  record ReportArg(boolean isFormat, String value) {

    /** Records each occurrence of --format/--output in order (picocli keeps per-option lists). */
    public static final class Consumer implements IParameterConsumer {
      @Override
      public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        OptionSpec option = (OptionSpec) argSpec;
        if (args.isEmpty()) {
          throw new ParameterException(commandSpec.commandLine(),
              "Missing required parameter for option '" + option.longestName() + "' (" + option.paramLabel() + ")");
        }
        boolean isFormat = option.longestName().equals("--format");
        commandSpec.mixins().values().stream().map(CommandSpec::userObject)
            .filter(ReportOptions.class::isInstance).map(ReportOptions.class::cast).findFirst()
            .orElseThrow(() -> new IllegalStateException("--format/--output outside ReportOptions"))
            .addReportArg(isFormat, args.pop());
      }
    }
  }

  /** One --format ({@code isFormat}) or --output, after those given before it. */
  void addReportArg(boolean isFormat, String value) {
    reportArgs.add(new ReportArg(isFormat, value));
  }

  /**
   * Pairs formats with outputs: an --output takes the --format just before it (if that one is
   * not yet taken), else the format its extension implies; a --format left without an --output
   * goes to stdout. Contradictions are usage errors.
   */
  List<ReportTarget> targets(Env env) {
    return sbomChecked(pairedTargets(env));
  }

  /** Refuses the SBOM formats in a command that reads no images. */
  private List<ReportTarget> sbomChecked(List<ReportTarget> targets) {
    for (ReportTarget t : targets) {
      if (t.format().isSbom() && !sbomFormats) {
        throw new IllegalArgumentException("--format " + t.format().id() + " is an SBOM of an image; `kapas image` "
            + "writes it");
      }
    }
    return targets;
  }

  private List<ReportTarget> pairedTargets(Env env) {
    List<ReportTarget> out = new ArrayList<>();
    Optional<ReportFormat> pending = Optional.empty();
    for (ReportArg arg : reportArgs) {
      if (arg.isFormat()) {
        pending.ifPresent(f -> out.add(new ReportTarget(f, Optional.empty())));
        pending = Optional.of(ReportFormat.parse(arg.value()).orElseThrow(() -> new IllegalArgumentException(
            "--format: `" + arg.value() + "` is not one of " + ReportFormat.names()
                + (arg.value().matches("(?i).*\\.ya?ml") ? " (for a Helm values file, use --values)" : ""))));
        continue;
      }
      if (arg.value().isBlank()) {
        throw new IllegalArgumentException("--output: the file name is empty");
      }
      if (arg.value().equals("-")) {
        out.add(new ReportTarget(pending.orElse(ReportFormat.TABLE), Optional.empty()));
        pending = Optional.empty();
        continue;
      }
      Path file = outputPath(arg.value());
      checkWritable(file, env).ifPresent(problem -> {
        throw new IllegalArgumentException("cannot write " + file + ": " + problem);
      });
      ReportFormat format;
      if (pending.isPresent()) {
        format = pending.get();
        if (!format.suits(file)) {
          throw new IllegalArgumentException("--format " + format.id() + " --output " + file
              + ": the extension says " + ReportFormat.ofFile(file).orElseThrow().id()
              + "; change one of them");
        }
      } else {
        format = ReportFormat.ofFile(file).orElseThrow(() -> new IllegalArgumentException(
            "--output " + file + ": cannot tell the format from the file name; put --format FORMAT ("
                + ReportFormat.names() + ") just before it"));
      }
      out.add(new ReportTarget(format, Optional.of(file)));
      pending = Optional.empty();
    }
    pending.ifPresent(f -> out.add(new ReportTarget(f, Optional.empty())));
    if (out.stream().filter(t -> t.file().isEmpty()).count() > 1) {
      throw new IllegalArgumentException("only one report can go to stdout ("
          + String.join(" and ", out.stream().filter(t -> t.file().isEmpty()).map(t -> t.format().id()).toList())
          + " were asked for); give the others --output FILE");
    }
    List<Path> seen = new ArrayList<>();
    for (ReportTarget t : out) {
      if (t.file().isPresent()) {
        Path abs = env.workingDir().resolve(t.file().get()).normalize();
        if (seen.contains(abs)) {
          throw new IllegalArgumentException("--output " + t.file().get() + " is given twice");
        }
        seen.add(abs);
      }
    }
    if (out.isEmpty()) {
      out.add(new ReportTarget(ReportFormat.TABLE, Optional.empty()));
    }
    return out;
  }

  private static Path outputPath(String name) {
    if (name.endsWith("/") || name.endsWith(java.io.File.separator)) {
      throw new IllegalArgumentException("--output " + name + " names a directory; give a file name");
    }
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("--output `" + name + "` is not a valid file name: " + e.getReason());
    }
  }

  /** Why {@code file} cannot be written, checked before scanning so a typo costs no scan. */
  private static Optional<String> checkWritable(Path file, Env env) {
    Path abs = env.workingDir().resolve(file).normalize();
    if (Files.isDirectory(abs)) {
      return Optional.of("it is a directory");
    }
    if (Files.exists(abs) && !Files.isWritable(abs)) {
      return Optional.of("permission denied");
    }
    for (Path dir = abs.getParent(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir)) {
        return Files.isWritable(dir) ? Optional.empty() : Optional.of("permission denied on directory " + dir);
      }
      if (Files.exists(dir)) {
        return Optional.of(dir + " is not a directory");
      }
    }
    return Optional.empty();
  }

  private void write(ReportTarget target, ScanReport report, Env env) throws IOException {
    boolean color = target.file().isEmpty() && !noColor && env.colorAllowed();
    ReportWriter writer = target.format().writer(color, env.workingDir().toAbsolutePath());
    if (target.file().isEmpty()) {
      writer.write(report, env.out());
      env.out().flush();
      return;
    }
    Path file = env.workingDir().resolve(target.file().get());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      writer.write(report, o);
    }
  }

  /** A plain sentence for a failed write: NIO's messages are often just the path. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(Locale.ROOT);
    }
    return Failures.describe(e);
  }

  /** The --fail-on threshold, else the config's, else the default; empty when --fail-on is bad. */
  Optional<FailOn> threshold(Config cfg) {
    return failOn == null ? Optional.of(cfg.failOn().orElse(FailOn.DEFAULT)) : FailOn.parse(failOn);
  }

  String badThreshold() {
    return "--fail-on: `" + failOn + "` is not one of critical, high, medium, low, info, none";
  }

  /**
   * Writes every report; false (after saying why on stderr) when one could not be written. Input
   * errors always reach stderr too, so that a machine-readable report on stdout can be piped on
   * while the user still sees them; a table on stdout already lists them.
   */
  boolean writeAll(String command, List<ReportTarget> targets, ScanReport report, Env env) {
    boolean written = true;
    for (ReportTarget t : targets) {
      try {
        write(t, report, env);
      } catch (IOException e) {
        env.err().println(command + ": cannot write " + t.where() + ": " + describe(e));
        written = false;
      }
    }
    if (!written) {
      return false;
    }
    // on stderr also when the table (which lists them) goes to stdout: `kapas scan ... > report.txt`
    // or a pipe must not hide that the scan is incomplete
    for (var d : report.errors()) {
      env.err().println("error: " + d.display());
    }
    return true;
  }
}

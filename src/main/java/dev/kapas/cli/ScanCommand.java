package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
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
import dev.kapas.report.ScanReport;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas scan PATH...}: Kubernetes manifests from files, directories and stdin. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scan Kubernetes manifests and report findings by layer.",
      "",
      "PATH is a YAML or JSON file (multi-document, List kinds), a directory (searched "
          + "recursively for .yaml, .yml and .json; hidden directories skipped) or - for stdin.",
      "",
      "Settings come from .kapas.yaml in the working directory (or --config): failOn, "
          + "pssVersion, per-rule enabled/severity/parameters, and exceptions with a reason and "
          + "an optional expiry. An object annotated kapas.dev/ignore: \"<rule-id>: <reason>\" "
          + "(several separated by ; or newlines) suppresses those rules for itself.",
      "",
      "Examples:",
      "  kapas scan k8s/",
      "  kapas scan k8s/ -f sarif -o kapas.sarif --fail-on high",
      "  kubectl get deploy -A -o yaml | kapas scan - --framework pss-restricted --pss",
      "  kapas scan app.yaml -f table -f json -o report.json   (table on stdout, JSON to file)",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or "
          + "config error (nothing scanned); 3 some inputs could not be read (wins over 1)."
    })
public final class ScanCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Files, directories (recursive) or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "Report format: table (default), json, sarif, junit. Repeatable; the n-th "
          + "--format goes to the n-th --output, one format may go to stdout.")
  List<String> formats = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout. Repeatable. Without a matching "
          + "--format the format follows the extension (.json, .sarif, .xml = junit, else table).")
  List<Path> outputs = new ArrayList<>();

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when an unsuppressed finding is at or above this: critical, high, "
          + "medium, low, info or none. Default: failOn from the config, else high.")
  String failOn;

  @Option(names = "--framework", paramLabel = "NAME",
      description = "Rules to run and score: 4c (default, all), pss-baseline, pss-restricted, cis, nsa.")
  String framework = Framework.FOUR_C.id();

  @Option(names = "--pss-version", paramLabel = "VERSION",
      description = "Pod Security Standards version: v1.0 ... " + "v1.37" + " or latest (default: "
          + "pssVersion from the config, else latest).")
  String pssVersion;

  @Option(names = "--pss",
      description = "Also print, per pod-bearing object, the highest Pod Security Standards level "
          + "it meets and what blocks the next one.")
  boolean pssVerdicts;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Config file (default: .kapas.yaml in the working directory, if present).")
  Path config;

  @Option(names = "--no-color", description = "Never colour the table, even on a terminal.")
  boolean noColor;

  ScanCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    Optional<Framework> fw = Framework.parse(framework);
    if (fw.isEmpty()) {
      return usage("--framework: `" + framework + "` is not one of " + Framework.names());
    }
    Config cfg;
    try {
      cfg = loadConfig(catalog);
    } catch (ConfigException e) {
      return usage(e.display());
    }
    Optional<PssVersion> version = pssVersion == null
        ? Optional.of(cfg.pssVersion().orElse(PssVersion.LATEST)) : PssVersion.parse(pssVersion);
    if (version.isEmpty()) {
      return usage("--pss-version: `" + pssVersion + "` is not v1.0 ... " + PssVersion.LATEST + " or latest");
    }
    Optional<FailOn> threshold = failOn == null ? Optional.of(cfg.failOn().orElse(FailOn.DEFAULT)) : FailOn.parse(failOn);
    if (threshold.isEmpty()) {
      return usage("--fail-on: `" + failOn + "` is not one of critical, high, medium, low, info, none");
    }
    List<ReportTarget> targets;
    try {
      targets = targets();
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }

    List<Rule> rules = catalog.all().stream()
        .filter(r -> fw.get().includes(r.spec()) && !cfg.disabled().contains(r.spec().id()))
        .toList();
    ManifestSource.Result read = new ManifestSource(env.in(), YamlTreeReader.Limits.DEFAULT)
        .read(paths, new TerminalProgress(env.err(), env.interactive()));
    Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
    Evaluation evaluation = new Engine(rules, new Engine.Settings(version.get(), fw.get().pssLevel(), cfg.params()))
        .run(inventory);
    Policy.Outcome outcome = new Policy(cfg, catalog, env.today()).apply(evaluation.findings(), inventory);
    Scores scores = Scores.of(evaluation, outcome.findings(), cfg.severities());
    ExitCode exit = exitCode(inventory, outcome.findings(), threshold.get());
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    evaluation.rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    List<PssVerdicts.Verdict> verdicts = pssVerdicts
        ? PssVerdicts.of(inventory, catalog.all(), version.get()) : List.of();
    ScanReport report = new ScanReport(Kapas.version(), fw.get(), version.get(), threshold.get(), ran,
        outcome.findings(), inventory.errors(), inventory.notes(), outcome.warnings(), scores, evaluation,
        verdicts, exit.code());
    for (ReportTarget t : targets) {
      try {
        write(t, report);
      } catch (IOException e) {
        env.err().println("kapas: cannot write " + t.file().map(Path::toString).orElse("stdout") + ": " + e.getMessage());
        return ExitCode.USAGE.code();
      }
    }
    // Input errors always reach stderr, so that a machine-readable report on stdout can be
    // piped on while the user still sees them; a table on stdout already lists them.
    boolean tableOnStdout = targets.stream()
        .anyMatch(t -> t.file().isEmpty() && t.format() == ReportFormat.TABLE);
    if (!tableOnStdout) {
      for (var d : inventory.errors()) {
        env.err().println("error: " + d.display());
      }
    }
    return exit.code();
  }

  private static ExitCode exitCode(Inventory inventory, List<Finding> findings, FailOn threshold) {
    if (!inventory.errors().isEmpty()) {
      return ExitCode.INPUT_ERROR;
    }
    boolean trips = findings.stream().anyMatch(f -> !f.suppressed() && threshold.trips(f.severity()));
    return trips ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private Config loadConfig(RuleCatalog catalog) throws ConfigException {
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

  /** A report format and where it goes (empty: stdout). */
  record ReportTarget(ReportFormat format, Optional<Path> file) {}

  private List<ReportTarget> targets() {
    List<ReportFormat> fmts = new ArrayList<>();
    for (String f : formats) {
      fmts.add(ReportFormat.parse(f).orElseThrow(() -> new IllegalArgumentException(
          "--format: `" + f + "` is not one of " + ReportFormat.names())));
    }
    List<ReportTarget> out = new ArrayList<>();
    for (int i = 0; i < Math.max(fmts.size(), outputs.size()); i++) {
      if (i < outputs.size()) {
        ReportFormat fmt = i < fmts.size() ? fmts.get(i) : ReportFormat.forFile(outputs.get(i));
        out.add(new ReportTarget(fmt, Optional.of(outputs.get(i))));
      } else {
        out.add(new ReportTarget(fmts.get(i), Optional.empty()));
      }
    }
    long toStdout = out.stream().filter(t -> t.file().isEmpty()).count();
    if (toStdout > 1) {
      throw new IllegalArgumentException("only one report can go to stdout; give --output FILE for the others");
    }
    if (out.isEmpty()) {
      out.add(new ReportTarget(ReportFormat.TABLE, Optional.empty()));
    }
    return out;
  }

  private void write(ReportTarget target, ScanReport report) throws IOException {
    boolean color = target.file().isEmpty() && env.interactive() && !noColor && System.getenv("NO_COLOR") == null;
    if (target.file().isPresent()) {
      Path file = target.file().get();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        target.format().writer(color).write(report, w);
      }
    } else {
      target.format().writer(color).write(report, env.out());
      env.out().flush();
    }
  }

  private int usage(String message) {
    env.err().println("kapas scan: " + message);
    return ExitCode.USAGE.code();
  }
}

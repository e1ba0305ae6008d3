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
import dev.kapas.policy.RuleException;
import dev.kapas.policy.Scores;
import dev.kapas.report.ReportFormat;
import dev.kapas.report.ReportWriter;
import dev.kapas.report.ScanReport;
import dev.kapas.source.helm.ChartSource;
import dev.kapas.source.helm.HelmOptions;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Pattern;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
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
          + "recursively for .yaml, .yml and .json; hidden directories skipped), a Helm chart "
          + "(a directory with Chart.yaml, or a .tgz: rendered with --values, --set, --release-name, "
          + "--namespace) or - for stdin.",
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
      "  kapas scan charts/app --values prod.yaml --set image.tag=1.4.2",
      "  kapas scan app.yaml -f table -f json -o report.json",
      "      (table on stdout, JSON to report.json)",
      "  kapas scan k8s/ -f json -o a.json -f sarif -o b.sarif",
      "      (two files, nothing on stdout)",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or "
          + "config error (nothing scanned), or a report could not be written; 3 some inputs "
          + "could not be read (wins over 1)."
    })
public final class ScanCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Files, directories (recursive) or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", parameterConsumer = ReportArg.Consumer.class,
      description = "Report format: table (default), json, sarif, junit. Repeatable: each --format "
          + "pairs with the --output that follows it; a --format not followed by one goes to stdout "
          + "(at most one report may).")
  List<String> formats = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", parameterConsumer = ReportArg.Consumer.class,
      description = "Write the report to FILE (- for stdout). Repeatable. Without a --format just "
          + "before it, the extension says which: .json, .sarif, .xml (junit), .txt (table).")
  List<String> outputs = new ArrayList<>();

  /** --format and --output in command-line order, which pairs them. */
  private final List<ReportArg> reportArgs = new ArrayList<>();

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when an unsuppressed finding is at or above this: critical, high, "
          + "medium, low, info or none. Default: failOn from the config, else high.")
  String failOn;

  @Option(names = "--framework", paramLabel = "NAME",
      description = "Rules to run and score: 4c (default, all), pss-baseline, pss-restricted, cis, nsa.")
  String framework = Framework.FOUR_C.id();

  @Option(names = "--rules", paramLabel = "ID", split = ",",
      description = "Run only these rules (IDs or globs such as container.image-*; comma-separated "
          + "or repeated), within the framework.")
  List<String> onlyRules = new ArrayList<>();

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

  @Option(names = "--values", paramLabel = "FILE",
      description = "Helm charts: a values file, as helm template -f takes it. Repeatable; later files win.")
  List<Path> valuesFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Helm charts: set a value, as helm template --set does. Repeatable; wins over --values.")
  List<String> setValues = new ArrayList<>();

  @Option(names = "--release-name", paramLabel = "NAME",
      description = "Helm charts: the release name to render with (default: " + HelmOptions.DEFAULT_RELEASE + ").")
  String releaseName = HelmOptions.DEFAULT_RELEASE;

  @Option(names = "--namespace", paramLabel = "NAMESPACE",
      description = "Helm charts: the namespace to render into (.Release.Namespace).")
  String namespace = "";

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

    List<Pattern> only = new ArrayList<>();
    for (String glob : onlyRules) {
      Pattern p = RuleException.glob(glob.trim());
      if (catalog.specs().stream().noneMatch(spec -> p.matcher(spec.id()).matches())) {
        return usage("--rules: `" + glob + "` matches no rule"
            + catalog.suggest(glob.trim()).map(id -> "; did you mean " + id + "?").orElse(""));
      }
      only.add(p);
    }
    List<Rule> rules = catalog.all().stream()
        .filter(r -> fw.get().includes(r.spec()) && !cfg.disabled().contains(r.spec().id()))
        .filter(r -> only.isEmpty() || only.stream().anyMatch(p -> p.matcher(r.spec().id()).matches()))
        .toList();
    Optional<HelmOptions> helm = helmOptions();
    if (helm.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ChartSource charts = new ChartSource(helm.get(), YamlTreeReader.Limits.DEFAULT);
    ManifestSource.Result read = new ManifestSource(env.in(), YamlTreeReader.Limits.DEFAULT)
        .withCharts(charts)
        .read(paths, new TerminalProgress(env.err(), env.interactive()));
    Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
    Evaluation evaluation = new Engine(rules, new Engine.Settings(version.get(), fw.get().pssLevel(), cfg.params()))
        .run(inventory);
    Policy.Outcome outcome = new Policy(cfg, catalog, env.today()).apply(evaluation.findings(), inventory);
    outcome = new Policy.Outcome(withValueSources(outcome.findings(), charts), outcome.warnings());
    Scores scores = Scores.of(evaluation, outcome.findings(), cfg.severities());
    ExitCode exit = exitCode(inventory, outcome.findings(), threshold.get());
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    evaluation.rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    List<PssVerdicts.Verdict> verdicts = pssVerdicts
        ? PssVerdicts.of(inventory, catalog.all(), version.get()) : List.of();
    ScanReport report = new ScanReport(Kapas.version(), fw.get(), version.get(), threshold.get(), ran,
        outcome.findings(), inventory.errors(), inventory.notes(), outcome.warnings(), scores, evaluation,
        verdicts, exit.code());
    boolean written = true;
    for (ReportTarget t : targets) {
      try {
        write(t, report);
      } catch (IOException e) {
        env.err().println("kapas scan: cannot write " + t.where() + ": " + describe(e));
        written = false;
      }
    }
    if (!written) {
      return ExitCode.USAGE.code();
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

  /** Helm options, checked before anything is read; empty (with a message) on a usage error. */
  private Optional<HelmOptions> helmOptions() {
    List<Path> files = new ArrayList<>();
    for (Path f : valuesFiles) {
      Path resolved = env.workingDir().resolve(f);
      if (!Files.isRegularFile(resolved)) {
        env.err().println("kapas scan: --values " + f + ": no such file");
        return Optional.empty();
      }
      files.add(resolved);
    }
    for (String pair : setValues) {
      if (pair.indexOf('=') <= 0) {
        env.err().println("kapas scan: --set `" + pair + "`: expected KEY=VALUE");
        return Optional.empty();
      }
    }
    if (releaseName.isBlank()) {
      env.err().println("kapas scan: --release-name is empty");
      return Optional.empty();
    }
    return Optional.of(new HelmOptions(files, setValues, releaseName, namespace));
  }

  /** Findings about fields a chart value set name that value and where it was set. */
  private static List<Finding> withValueSources(List<Finding> findings, ChartSource charts) {
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      out.add(charts.valueSource(f.objectKey(), f.location().path())
          .map(where -> new Finding(f.ruleId(), f.severity(), f.message() + " [" + where + "]", f.object(),
              f.location(), f.suppression()))
          .orElse(f));
    }
    return out;
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
        ((ScanCommand) commandSpec.userObject()).reportArgs.add(new ReportArg(isFormat, args.pop()));
      }
    }
  }

  /**
   * Pairs formats with outputs: an --output takes the --format just before it (if that one is
   * not yet taken), else the format its extension implies; a --format left without an --output
   * goes to stdout. Contradictions are usage errors.
   */
  private List<ReportTarget> targets() {
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
      checkWritable(file).ifPresent(problem -> {
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
  private Optional<String> checkWritable(Path file) {
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

  private void write(ReportTarget target, ScanReport report) throws IOException {
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
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(report, w);
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
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private int usage(String message) {
    env.err().println("kapas scan: " + message);
    return ExitCode.USAGE.code();
  }
}

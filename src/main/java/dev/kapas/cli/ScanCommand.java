package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.policy.Config;
import dev.kapas.cel.CelRules;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.FailOn;
import dev.kapas.policy.Framework;
import dev.kapas.policy.PssVerdicts;
import dev.kapas.source.helm.ChartSource;
import dev.kapas.source.image.WorkloadImages;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.helm.HelmOptions;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import dev.kapas.source.node.ControlPlanePods;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
          + "--namespace), a Kustomize directory (with kustomization.yaml: built as kubectl kustomize "
          + "builds it) or - for stdin.",
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
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage or "
          + "config error (nothing scanned), or a report could not be written; 3 some inputs "
          + "could not be read or parsed, the rest were scanned (wins over 1)."
    })
public final class ScanCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Files, directories (recursive) or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Mixin
  ReportOptions report = new ReportOptions();


  @Option(names = "--framework", paramLabel = "NAME",
      description = "Rules to run and score: 4c (default, all), pss-baseline, pss-restricted, cis, nsa, "
          + "custom (your own rules only).")
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


  @Mixin
  ChartOptions chart = new ChartOptions();

  @Mixin
  CustomRuleOptions customRules = new CustomRuleOptions();

  @Mixin
  ImageOptions imageOptions = new ImageOptions();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Helm charts: the namespace to render into (.Release.Namespace; default: default).")
  String namespace = "";

  ScanCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Optional<Framework> fw = Framework.parse(framework);
    if (fw.isEmpty()) {
      return usage(Framework.unknown(framework));
    }
    RuleCatalog catalog;
    Config cfg;
    try {
      catalog = customRules.catalog(env);
      cfg = report.loadConfig(catalog, env);
      catalog = CustomRuleOptions.withConfigRules(catalog, cfg);
    } catch (ConfigException e) {
      return usage(e.display());
    }
    Optional<PssVersion> version = pssVersion == null
        ? Optional.of(cfg.pssVersion().orElse(PssVersion.LATEST)) : PssVersion.parse(pssVersion);
    if (version.isEmpty()) {
      return usage("--pss-version: `" + pssVersion + "` is not v1.0 ... " + PssVersion.LATEST + " or latest");
    }
    Optional<FailOn> threshold = report.threshold(cfg);
    if (threshold.isEmpty()) {
      return usage(report.badThreshold());
    }
    List<ReportOptions.ReportTarget> targets;
    try {
      targets = report.targets(env);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }

    List<Rule> rules;
    try {
      rules = RuleSelection.select(catalog, cfg, fw.get(), onlyRules, r -> true, "kapas scan");
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    Optional<HelmOptions> helm = chart.resolve(env.workingDir(), namespace, env.err(), "kapas scan");
    if (helm.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Optional<String> badImageOptions = imageOptions.check();
    if (badImageOptions.isPresent()) {
      return usage(badImageOptions.get());
    }
    if (imageOptions.registry.passwordStdin && paths.contains("-")) {
      return usage("--password-stdin and - (manifests on stdin) both read stdin; give the manifests as files");
    }
    Optional<RegistryOptions.Registry> registry = imageOptions.images
        ? imageOptions.prepare(env, "kapas scan") : Optional.empty();
    if (imageOptions.images && registry.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Optional<ImagePolicy> imagePolicy = imageOptions.images
        ? imageOptions.policy(cfg.imagePolicy(), env, "kapas scan") : Optional.of(ImagePolicy.none());
    if (imagePolicy.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ChartSource charts = new ChartSource(helm.get(), YamlTreeReader.Limits.DEFAULT);
    ManifestSource.Result read = new ManifestSource(env.in(), YamlTreeReader.Limits.DEFAULT)
        .withCharts(charts)
        .read(paths, new TerminalProgress(env.err(), env.interactive()));
    // control-plane mirror pods (kube-system) also feed the node flag rules, as kapas cluster's do
    List<Fact> facts = new ArrayList<>(ControlPlanePods.mirrorPods(read.objects()));
    List<Diagnostic> errors = new ArrayList<>(read.errors());
    if (registry.isPresent()) {
      RegistryOptions.Registry reg = registry.get();
      ImageOptions.Read images = imageOptions.read(WorkloadImages.containers(read.objects()), reg, c -> reg.client(),
          imagePolicy.get(), env, "kapas scan");
      facts.addAll(images.facts());
      errors.addAll(images.errors());
    }
    Inventory inventory = new Inventory(read.objects(), facts, errors, read.notes());
    try {
      CelRules.await(catalog.all()); // custom rules compile while the inputs are read
    } catch (ConfigException e) {
      return usage(e.display());
    }
    Evaluation evaluation = new Engine(rules, new Engine.Settings(version.get(), fw.get().pssLevel(), cfg.params()))
        .run(inventory);
    List<PssVerdicts.Verdict> verdicts = pssVerdicts
        ? PssVerdicts.of(inventory, catalog.all(), version.get()) : List.of();
    ReportOptions.Prepared prepared = new ReportOptions.Prepared(cfg, threshold.get(), targets);
    return report.finish("kapas scan", prepared, catalog, evaluation, fw.get(), version.get(), verdicts, env,
        findings -> withValueSources(findings, charts));
  }

  /**
   * Findings about fields a chart value set name that value and where it was set; findings about
   * Helm hooks say so.
   */
  private static List<Finding> withValueSources(List<Finding> findings, ChartSource charts) {
    if (!charts.hasValueSources() && !charts.hasHooks()) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      String marks = charts.valueSource(f.objectKey(), f.location().path()).map(where -> " [" + where + "]")
          .orElse("") + charts.hook(f.objectKey()).map(hook -> " [" + hook + "]").orElse("");
      out.add(marks.isEmpty() ? f : new Finding(f.ruleId(), f.severity(), f.message() + marks, f.object(),
          f.location(), f.suppression(), f.subjectFile()));
    }
    return out;
  }

  private int usage(String message) {
    env.err().println("kapas scan: " + message);
    return ExitCode.USAGE.code();
  }
}

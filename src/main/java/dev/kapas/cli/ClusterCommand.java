package dev.kapas.cli;

import dev.kapas.cel.CelRules;
import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.Framework;
import dev.kapas.policy.PssVerdicts;
import dev.kapas.rules.code.SecretDetector;
import dev.kapas.source.cluster.ClusterSource;
import dev.kapas.source.cluster.PullSecrets;
import dev.kapas.source.cluster.Connection;
import dev.kapas.source.cluster.ReleaseData;
import dev.kapas.source.cluster.ServerVersionFact;
import dev.kapas.source.cluster.Snapshot;
import dev.kapas.source.image.RegistryClient;
import dev.kapas.source.image.WorkloadImages;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.node.ControlPlanePods;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kapas cluster}: a live cluster, read through its API. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scan a live cluster through its API server, with the same rules, reports and exceptions as kapas scan, "
          + "plus what only a live cluster knows (its version).",
      "",
      "Read-only: kapas only sends GET requests. It discovers what the server serves, then lists each kind the "
          + "rules need once (paginated, several kinds at a time). Secrets are read as metadata only: their "
          + "values never leave the server. deploy/rbac.yaml has the least-privilege ClusterRole. A kind the "
          + "credentials may not list is reported as not scanned (exit 3) and the rest is scanned. Pods and "
          + "ReplicaSets owned by a scanned controller are left out: the controller's template is checked.",
      "",
      "Objects are named cluster/<context>/<kind>/<namespace>/<name> in reports and exceptions.",
      "",
      "Examples:",
      "  kapas cluster",
      "  kapas cluster --context prod -f sarif -o prod.sarif --fail-on high",
      "  kapas cluster -n shop -n payments --save snapshot.json   (then: kapas scan snapshot.json)",
      "  kapas cluster who-can create pods/exec",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error, a "
          + "kubeconfig that cannot be used, or a report that could not be written; 3 the cluster could not be "
          + "reached, or some kinds could not be read (wins over 1)."
    })
public final class ClusterCommand implements Callable<Integer> {
  private static final String NAME = "kapas cluster";
  private final Env env;

  @Mixin
  CustomRuleOptions customRules = new CustomRuleOptions();

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", split = ",",
      description = "Only these namespaces (repeatable or comma-separated); cluster-scoped objects (RBAC, "
          + "webhooks) are read too. Default: all namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces (the default; says so explicitly).")
  boolean allNamespaces;

  @Option(names = "--exclude-namespaces", paramLabel = "NS", split = ",",
      description = "Leave these namespaces out (repeatable or comma-separated).")
  List<String> excluded = new ArrayList<>();

  @Option(names = "--no-secrets",
      description = "Do not list Secrets at all, for credentials without list on secrets (deploy/rbac.yaml): "
          + "RBAC cannot grant metadata-only access, and list on secrets would let the credential read every value.")
  boolean noSecrets;

  @Option(names = "--save", paramLabel = "FILE",
      description = "Also write what was read as one JSON List, for kapas scan FILE: Secrets as metadata only, and "
          + "every value in which code.hardcoded-secret finds a credential (ConfigMap values, env literals, "
          + "arguments, annotations) replaced by what was found, redacted, so a re-scan still reports it.")
  Path save;

  @Option(names = "--save-unredacted",
      description = "With --save: write the values that hold credentials as they were read (Secrets stay metadata only).")
  boolean saveUnredacted;

  @Option(names = "--release-data", paramLabel = "FILE",
      description = "Kubernetes release dates to judge the server version by, instead of the built-in ones "
          + "(kapas --data-info shows their date; same format).")
  Path releaseData;

  @Mixin
  ClusterRuleOptions ruleOptions = new ClusterRuleOptions();

  @Option(names = "--pss", description = "Also print, per pod-bearing object, the highest PSS level it meets.")
  boolean pssVerdicts;

  @Option(names = "--page-size", paramLabel = "N", description = "Objects per list request (default: 500).")
  int pageSize = 500;

  @Option(names = "--parallel", paramLabel = "N", description = "Kinds listed at the same time (default: 6).")
  int parallel = 6;

  @Mixin
  ImageOptions imageOptions = new ImageOptions();

  @Mixin
  ReportOptions report = new ReportOptions();

  ClusterCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog;
    try {
      catalog = customRules.catalog(env);
    } catch (ConfigException e) {
      return usage(e.display());
    }
    Optional<Framework> fw = ruleOptions.framework();
    if (fw.isEmpty()) {
      return usage(Framework.unknown(ruleOptions.framework));
    }
    if (allNamespaces && !namespaces.isEmpty()) {
      return usage("-A and -n exclude each other");
    }
    if (pageSize < 1 || parallel < 1) {
      return usage("--page-size and --parallel must be at least 1");
    }
    if (saveUnredacted && save == null) {
      return usage("--save-unredacted says how to write --save FILE; give --save too");
    }
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    try {
      catalog = CustomRuleOptions.withConfigRules(catalog, cfg);
      CelRules.await(catalog.all());
    } catch (ConfigException e) {
      return usage(e.display());
    }
    if (!ruleOptions.pssVersionValid()) {
      return usage(ruleOptions.badPssVersion());
    }
    PssVersion version = ruleOptions.pssVersion(cfg);
    List<Rule> rules;
    try {
      rules = RuleSelection.select(catalog, cfg, fw.get(), ruleOptions.onlyRules, r -> true, NAME);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    ReleaseData releases;
    try {
      releases = releaseData == null ? ReleaseData.builtIn() : ReleaseData.load(env.workingDir().resolve(releaseData));
    } catch (ReleaseData.BadFile e) {
      return usage("--release-data " + e.getMessage());
    }
    Optional<String> badImageOptions = imageOptions.check();
    if (badImageOptions.isPresent()) {
      return usage(badImageOptions.get());
    }
    Optional<RegistryOptions.Registry> registry = imageOptions.images ? imageOptions.prepare(env, NAME) : Optional.empty();
    if (imageOptions.images && registry.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Optional<ImagePolicy> imagePolicy = imageOptions.images
        ? imageOptions.policy(cfg.imagePolicy(), env, NAME) : Optional.of(ImagePolicy.none());
    if (imagePolicy.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Optional<Connection> conn = connection.open(env, NAME);
    if (conn.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ClusterSource.Result read;
    String context;
    Map<String, byte[]> pullSecrets = new HashMap<>();
    List<Diagnostic> secretProblems = new ArrayList<>();
    try (Connection c = conn.get()) {
      context = c.context();
      ClusterSource.Options options = new ClusterSource.Options(namespaces, new LinkedHashSet<>(excluded),
          connection.timeout(), pageSize, parallel);
      ClusterSource source = new ClusterSource(c.http(), c.server(), context, options)
          .skip(noSecrets ? java.util.Set.of("Secret") : java.util.Set.of());
      read = source.read(new TerminalProgress(env.err(), env.interactive(), "kinds", 1));
      if (registry.isPresent()) {
        for (String secret : new PullSecrets(read.objects()).all(read.objects())) {
          int slash = secret.indexOf('/');
          try {
            pullSecrets.put(secret, source.pullSecret(secret.substring(0, slash), secret.substring(slash + 1)));
          } catch (IOException e) {
            secretProblems.add(Diagnostic.ofFile("cluster/" + context, e.getMessage()
                + "; images of pods that name it are pulled without it"));
          }
        }
      }
    }
    List<Diagnostic> errors = new ArrayList<>(read.errors());
    List<Fact> imageFacts = new ArrayList<>();
    if (registry.isPresent()) {
      ImageOptions.Read images = imageOptions.read(WorkloadImages.containers(read.objects()), registry.get(),
          pullClients(registry.get(), new PullSecrets(read.objects()), pullSecrets), imagePolicy.get(), env, NAME);
      imageFacts.addAll(images.facts());
      errors.addAll(images.errors());
    }
    if (save != null) {
      Path file = env.workingDir().resolve(save);
      try {
        Snapshot.write(read.objects(), file, saveUnredacted ? Map.of() : credentialRedactions(read.objects(), catalog));
      } catch (IOException e) {
        errors.add(Diagnostic.ofFile(save.toString(), "cannot write the snapshot: " + ReportOptions.describe(e)));
      }
    }
    List<Fact> facts = new ArrayList<>(ControlPlanePods.mirrorPods(read.objects()));
    read.version().ifPresent(v -> facts.add(new ServerVersionFact(context, v, releases, env.today())));
    facts.addAll(imageFacts);
    List<Diagnostic> notes = new ArrayList<>(read.notes());
    notes.addAll(secretProblems);
    Inventory inventory = new Inventory(read.objects(), facts, errors, notes);
    long rulesStart = System.nanoTime();
    Evaluation evaluation = new Engine(rules, new Engine.Settings(version, fw.get().pssLevel(), cfg.params()))
        .run(inventory);
    List<PssVerdicts.Verdict> verdicts = pssVerdicts
        ? PssVerdicts.of(inventory, catalog.all(), version) : List.of();
    if (env.variables().containsKey("KAPAS_TIMINGS")) {
      env.err().printf("kapas cluster: %d objects listed in %d ms, rules in %d ms%n", read.objects().size(),
          read.listing().toMillis(), (System.nanoTime() - rulesStart) / 1_000_000);
    }
    return report.finish(NAME, prepared.get(), catalog, evaluation, fw.get(), version, verdicts, env, f -> f);
  }

  /**
   * A registry client per set of pull secrets: a container pulls with its pod's (and its
   * ServiceAccount's) secrets, tried before the Docker config; without any, with the defaults.
   */
  private static ImageOptions.Clients pullClients(RegistryOptions.Registry reg, PullSecrets named,
      Map<String, byte[]> values) {
    Map<List<String>, RegistryClient> clients = new HashMap<>();
    return container -> {
      List<String> secrets = named.of(container.pod()).stream().filter(values::containsKey).toList();
      if (secrets.isEmpty()) {
        return reg.client();
      }
      RegistryClient known = clients.get(secrets);
      if (known == null) {
        Map<String, byte[]> configs = new LinkedHashMap<>();
        secrets.forEach(s -> configs.put("image pull secret " + s, values.get(s)));
        known = reg.with(reg.credentials().withPullSecrets(configs));
        clients.put(secrets, known);
      }
      return known;
    };
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
  /**
   * For each object, the fields where {@code code.hardcoded-secret} finds a credential and what the
   * snapshot writes there instead: the marker the secret detector recognises, then the finding's
   * redacted message (several findings on one field are joined).
   */
  static Map<String, Map<String, String>> credentialRedactions(List<KubeObject> objects, RuleCatalog catalog) {
    Rule detector = catalog.find("code.hardcoded-secret").orElseThrow();
    Evaluation found = new Engine(List.of(detector), Engine.Settings.defaults())
        .run(new Inventory(objects, List.of(), List.of()));
    Map<String, Map<String, String>> out = new HashMap<>();
    for (Finding f : found.findings()) {
      out.computeIfAbsent(f.objectKey(), k -> new HashMap<>())
          .merge(f.location().path(), SecretDetector.REDACTED_MARKER + f.message(), (a, b) -> a + "; " + f.message());
    }
    return out;
  }
}

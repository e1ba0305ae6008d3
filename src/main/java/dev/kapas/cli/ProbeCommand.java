package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.FactRule;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.source.Progress;
import dev.kapas.source.cluster.Connection;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import dev.kapas.source.probe.Certificates;
import dev.kapas.source.probe.ClusterTargets;
import dev.kapas.source.probe.HttpEndpoint;
import dev.kapas.source.probe.HttpProber;
import dev.kapas.source.probe.PortFact;
import dev.kapas.source.probe.Ports;
import dev.kapas.source.probe.ProbeSource;
import dev.kapas.source.probe.Targets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas probe TARGET...}: network exposure of control-plane and node ports, and the DAST baseline. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Probe hosts for exposed control-plane and node ports, and web endpoints for a DAST baseline.",
      "",
      "TARGET is a host name, an IPv4 or IPv6 address, or a CIDR block (every address in it). Only the "
          + "targets and URLs named are ever contacted. Each port gets a TCP connect; an open one is asked, "
          + "without credentials and read-only, for its banner or TLS certificate and for GET /version, "
          + "/api/v1/namespaces, /pods, /healthz and /metrics (etcd also for a key count). What answered is "
          + "told from the answers, the port number only where they say nothing. No credential is ever "
          + "guessed, nothing is written, nothing is executed.",
      "",
      "Default ports: 22, 443, 2379, 2380, 6443, 8080, 8443, 10250, 10251, 10252, 10255, 10257, 10259, "
          + "plus NodePorts per --nodeports.",
      "",
      "Examples:",
      "  kapas probe 10.0.0.10 10.0.0.11",
      "  kapas probe 10.0.0.0/28 --nodeports all -f json -o probe.json",
      "  kapas probe node1.example.com --inventory k8s/      (NodePorts the Services there use)",
      "  kapas probe --http https://shop.example.com/ --http https://api.example.com/",
      "  kapas probe --inventory k8s/ --ingress-hosts         (DAST of the Ingress hosts in k8s/)",
      "  kapas probe --from-cluster --context prod            (the API server and nodes of a cluster)",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error "
          + "(nothing probed); 3 some inputs could not be read or reached (a TARGET that is not a host, address or "
          + "CIDR block, a host name that does not resolve, an --inventory file, an --http URL): the rest is "
          + "still probed."
    })
public final class ProbeCommand implements Callable<Integer> {
  private static final String NAME = "kapas probe";
  private final Env env;

  @Parameters(paramLabel = "TARGET", arity = "0..*", description = "Hosts, IP addresses, CIDR blocks (IPv4, IPv6).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--ports", paramLabel = "PORTS",
      description = "Ports to probe instead of the default table: 22,6443,30000-30010.")
  String ports;

  @Option(names = "--nodeports", paramLabel = "WHICH",
      description = "NodePorts to add: all (30000-32767), sample (default: those the Services in --inventory "
          + "use; none without --inventory), none.")
  String nodePorts = "sample";

  @Option(names = "--inventory", paramLabel = "PATH",
      description = "Manifests (files, directories, - for stdin) whose Services' NodePorts --nodeports sample "
          + "takes, and whose Ingress hosts --ingress-hosts probes. Repeatable. Nothing in them is scanned.")
  List<String> inventory = new ArrayList<>();

  @Option(names = "--from-cluster",
      description = "Also probe the cluster of the kubeconfig's context: its API server's host, the API server "
          + "endpoints (default/kubernetes) and every node's InternalIP and ExternalIP; --nodeports sample then "
          + "takes the NodePorts its Services use. Three read-only GETs with the kubeconfig's credentials (as "
          + "kapas cluster and kubectl use them), sent to that API server only.")
  boolean fromCluster;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "For --from-cluster (default: the first file of KUBECONFIG, else ~/.kube/config, else the pod's "
          + "service account).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "For --from-cluster: the kubeconfig context (default: current).")
  String context;

  /** How long --from-cluster waits for each of its three answers. */
  private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = "--http", paramLabel = "URL",
      description = "DAST baseline of this http:// or https:// URL: TLS versions offered, certificate, "
          + "security headers, version disclosure. Repeatable.")
  List<String> urls = new ArrayList<>();

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "Also trust the CA certificates (PEM or DER) in FILE when judging a server's certificate, "
          + "as curl --cacert does: an HTTPS endpoint whose CA you trust is neither untrusted nor self-signed. "
          + "Repeatable.")
  List<Path> caCerts = new ArrayList<>();

  @Option(names = "--ingress-hosts",
      description = "Also run the DAST baseline on https:// (hosts with a tls entry) or http:// of every "
          + "Ingress host in --inventory.")
  boolean ingressHosts;

  @Option(names = "--concurrency", paramLabel = "N", description = "Connections in flight at most (default 64).")
  int concurrency = 64;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Per connection and per answer: 2s (default), 500ms, 1.5s.")
  String timeout = "2s";

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Refuse a plan of more host:port pairs than this (default 65536): a mistyped CIDR block "
          + "must not turn into millions of connections.")
  long maxConnections = 65_536;

  @Mixin
  ReportOptions report = new ReportOptions();

  @Option(names = "--framework", paramLabel = "NAME",
      description = "Rules to run and score: 4c (default, all probe rules), cis, nsa (those mapped to it).")
  String framework = Framework.FOUR_C.id();

  @Option(names = "--rules", paramLabel = "ID", split = ",",
      description = "Run only these rules (IDs or globs such as cloud.etcd-*; comma-separated or repeated).")
  List<String> onlyRules = new ArrayList<>();

  ProbeCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    Optional<Framework> fw = Framework.parse(framework);
    if (fw.isEmpty()) {
      return usage(Framework.unknown(framework));
    }
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    List<Integer> portList;
    Duration perConnection;
    List<X509Certificate> trusted = new ArrayList<>();
    try {
      portList = ports == null ? Ports.defaults() : Ports.parse(ports);
      perConnection = duration(timeout);
      for (Path file : caCerts) {
        trusted.addAll(Certificates.load(env.workingDir().resolve(file), file.toString()));
      }
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    String which = nodePorts.toLowerCase(Locale.ROOT);
    if (!List.of("all", "sample", "none").contains(which)) {
      return usage("--nodeports: `" + nodePorts + "` is not one of all, sample, none");
    }
    if (concurrency < 1 || concurrency > 4096) {
      return usage("--concurrency: " + concurrency + " is not between 1 and 4096");
    }
    if (targets.isEmpty() && urls.isEmpty() && !ingressHosts && !fromCluster) {
      return usage("name at least one TARGET (host, address, CIDR block), --from-cluster or --http URL");
    }
    if (ingressHosts && inventory.isEmpty()) {
      return usage("--ingress-hosts takes the hosts from --inventory PATH; none given");
    }

    List<Rule> rules;
    try {
      rules = RuleSelection.select(catalog, cfg, fw.get(), onlyRules,
          r -> r instanceof FactRule<?> f && (f.type() == PortFact.class || f.type() == HttpEndpoint.class), NAME);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }

    List<Diagnostic> errors = new ArrayList<>();
    List<Diagnostic> notes = new ArrayList<>();
    List<KubeObject> manifests = List.of();
    if (!inventory.isEmpty()) {
      ManifestSource.Result read = new ManifestSource(env.in(), YamlTreeReader.Limits.DEFAULT).read(inventory, Progress.NONE);
      manifests = read.objects();
      errors.addAll(read.errors());
    }
    List<String> hosts = new ArrayList<>(targets);
    List<Integer> clusterNodePorts = new ArrayList<>();
    if (fromCluster) {
      try (Connection connection = Connection.open(Optional.ofNullable(kubeconfig).map(env.workingDir()::resolve),
          Optional.ofNullable(context), env.variables(), CLUSTER_TIMEOUT)) {
        ClusterTargets.Result cluster = ClusterTargets.read(connection, CLUSTER_TIMEOUT);
        hosts.addAll(cluster.hosts().keySet());
        clusterNodePorts.addAll(cluster.nodePorts());
        StringJoiner from = new StringJoiner(", ");
        cluster.hosts().forEach((host, why) -> from.add(host + " (" + why + ")"));
        notes.add(Diagnostic.ofFile("--from-cluster", cluster.hosts().size() + " address(es) from " + cluster.server()
            + ": " + from));
      } catch (Connection.SetupException | ClusterTargets.ClusterError e) {
        errors.add(Diagnostic.ofFile("--from-cluster", e.getMessage()));
      }
    }
    TreeSet<Integer> all = new TreeSet<>(portList);
    if (which.equals("all")) {
      for (int p = Ports.NODEPORT_FIRST; p <= Ports.NODEPORT_LAST; p++) {
        all.add(p);
      }
    } else if (which.equals("sample") && !hosts.isEmpty()) {
      all.addAll(nodePortsOf(manifests));
      all.addAll(clusterNodePorts);
      notes.add(Diagnostic.ofFile("probe", inventory.isEmpty() && !fromCluster
          ? "--nodeports sample: no --inventory, so no NodePorts (--nodeports all probes 30000-32767)"
          : "--nodeports sample: " + (inventory.isEmpty() ? ""
              : nodePortsOf(manifests).size() + " NodePort(s) the inventory's Services fix" + unfixedNote(manifests))
              + (inventory.isEmpty() || !fromCluster ? "" : "; ")
              + (fromCluster ? clusterNodePorts.size() + " NodePort(s) the cluster's Services use" : "")));
    }
    ProbeSource.Plan plan;
    try {
      plan = ProbeSource.Plan.of(hosts, new ArrayList<>(all), maxConnections);
    } catch (Targets.BadTarget e) {
      return usage(e.getMessage());
    }
    errors.addAll(plan.errors());

    List<Fact> facts = new ArrayList<>();
    if (!plan.hosts().isEmpty()) {
      facts.addAll(new ProbeSource(perConnection, concurrency, trusted)
          .run(plan, new TerminalProgress(env.err(), env.interactive(), "ports")));
    }
    List<String> web = new ArrayList<>(urls);
    if (ingressHosts) {
      web.addAll(ingressUrls(manifests));
    }
    if (!web.isEmpty()) {
      HttpProber.Result dast = new HttpProber(perConnection, trusted).probe(web);
      facts.addAll(dast.endpoints());
      errors.addAll(dast.errors());
    }
    long open = facts.stream().filter(f -> f instanceof PortFact p && p.open()).count();
    notes.add(Diagnostic.ofFile("probe", String.format("%d host(s) x %d port(s): %d open; %d URL(s)",
        plan.hosts().size(), plan.ports().size(), open, facts.stream().filter(HttpEndpoint.class::isInstance).count())));

    Inventory inv = new Inventory(List.of(), facts, errors, notes);
    Evaluation evaluation = new Engine(rules, new Engine.Settings(PssVersion.LATEST, fw.get().pssLevel(),
        cfg.params())).run(inv);
    return report.finish(NAME, prepared.get(), catalog, evaluation, fw.get(), PssVersion.LATEST, List.of(), env,
        f -> f);
  }

  /** The NodePorts Services in the inventory use ({@code spec.ports[].nodePort}). */
  static List<Integer> nodePortsOf(List<KubeObject> objects) {
    TreeSet<Integer> out = new TreeSet<>();
    for (KubeObject o : objects) {
      if (o.kind().equals("Service")) {
        for (Node port : o.root().get("spec").get("ports").items()) {
          port.get("nodePort").asLong().filter(p -> Ports.isNodePort(p.intValue())).ifPresent(p -> out.add(p.intValue()));
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** NodePort and LoadBalancer Services with a port whose {@code nodePort} the cluster will assign. */
  private static String unfixedNote(List<KubeObject> objects) {
    long unfixed = objects.stream()
        .filter(o -> o.kind().equals("Service"))
        .filter(o -> List.of("NodePort", "LoadBalancer").contains(o.root().get("spec").get("type").textOr("")))
        .filter(o -> o.root().get("spec").get("ports").items().stream().anyMatch(p -> p.get("nodePort").asLong().isEmpty()))
        .count();
    return unfixed == 0 ? "" : "; " + unfixed + " NodePort or LoadBalancer Service(s) leave it to the cluster "
        + "(--nodeports all covers those)";
  }

  /** {@code https://host/} for Ingress hosts a {@code tls} entry names, else {@code http://host/}; no wildcards. */
  static List<String> ingressUrls(List<KubeObject> objects) {
    TreeSet<String> out = new TreeSet<>();
    for (KubeObject o : objects) {
      if (!o.kind().equals("Ingress")) {
        continue;
      }
      List<String> tlsHosts = new ArrayList<>();
      o.root().get("spec").get("tls").items().forEach(t -> t.get("hosts").items().forEach(h -> tlsHosts.add(h.textOr(""))));
      for (Node rule : o.root().get("spec").get("rules").items()) {
        String host = rule.get("host").textOr("");
        if (!host.isEmpty() && !host.startsWith("*")) {
          out.add((tlsHosts.contains(host) ? "https://" : "http://") + host + "/");
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** {@code 2s}, {@code 500ms}, {@code 1.5s}, or plain seconds. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()))
          : Duration.ofMillis(Math.round(Double.parseDouble(t.endsWith("s") ? t.substring(0, t.length() - 1) : t) * 1000));
      if (d.toMillis() < 1 || d.toSeconds() > 600) {
        throw new IllegalArgumentException("--timeout: `" + text + "` is not between 1ms and 600s");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--timeout: `" + text + "` is not a duration such as 2s or 500ms");
    }
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}

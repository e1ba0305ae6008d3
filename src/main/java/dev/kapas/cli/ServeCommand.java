package dev.kapas.cli;

import dev.kapas.cel.CelRules;
import dev.kapas.engine.Engine;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.model.Severity;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.Framework;
import dev.kapas.serve.Judge;
import dev.kapas.serve.Mode;
import dev.kapas.serve.Server;
import dev.kapas.source.cluster.ClusterCache;
import dev.kapas.source.cluster.Connection;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kapas serve}: the validating admission webhook, with metrics and a continuous audit. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run as a validating admission webhook over HTTPS: each object the API server sends to /validate "
          + "(AdmissionReview v1) is judged by the same rules, config and exceptions as kapas scan; cross-object "
          + "rules judge it among the live cluster, read through informers (list and watch, read-only).",
      "",
      "What happens to a finding depends on the namespace's labels, as with Pod Security Admission: "
          + "kapas.dev/enforce: <severity> denies the request with the rule IDs and messages, kapas.dev/warn: "
          + "<severity> returns warnings (kubectl prints them), kapas.dev/audit: <severity> adds an audit "
          + "annotation. A namespace with none of them gets --default-mode at --default-severity.",
      "",
      "Also serves /healthz, /readyz (ready once the cluster cache has listed everything), /metrics "
          + "(Prometheus) and, at /, the latest audit. The certificate, key, config and --rules-dir rules are read "
          + "again when their files change (one that does not load is logged; the previous one stays). SIGTERM "
          + "stops gracefully: not ready at once, requests in flight answered.",
      "",
      "Examples:",
      "  kapas serve --tls-cert /tls/tls.crt --tls-key /tls/tls.key -c /config/.kapas.yaml --audit-interval 10m",
      "  kapas serve --offline --listen 127.0.0.1:8443 --tls-cert cert.pem --tls-key key.pem --default-mode warn",
      "",
      "Exit codes: 0 stopped by SIGTERM or SIGINT; 2 usage or config error, a certificate or key that does not "
          + "load, or an address that cannot be listened on; 3 the cluster could not be reached."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final String NAME = "kapas serve";
  private final Env env;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where to listen (default: 0.0.0.0:8443).")
  String listen = "0.0.0.0:8443";

  @Option(names = "--tls-cert", paramLabel = "FILE", required = true,
      description = "Serving certificate (PEM, the chain after it), read again when it changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", required = true,
      description = "Its private key (PEM: PKCS#8, PKCS#1 RSA or SEC 1 EC, unencrypted), read again when it changes.")
  Path tlsKey;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Config file (exceptions, severities, disabled rules), read again when it changes (a mounted "
          + "ConfigMap). Default: .kapas.yaml in the working directory, if present.")
  Path config;

  @Option(names = "--offline",
      description = "Do not read the cluster: judge each object alone, every namespace in the default mode.")
  boolean offline;

  @Option(names = "--default-mode", paramLabel = "MODE",
      description = "For namespaces without a kapas.dev label: enforce (default), warn or audit.")
  String defaultMode = "enforce";

  @Option(names = "--default-severity", paramLabel = "SEVERITY",
      description = "The lowest severity the default mode acts on: critical, high (default), medium, low, info.")
  String defaultSeverity = "high";

  @Option(names = "--warm-up", paramLabel = "REQUESTS",
      description = "Before /readyz says ready, judge built-in sample requests this many times (and more while the JIT "
          + "is still compiling, up to four times as many), so that the JIT has compiled the judging path before real "
          + "requests arrive; then a third of that number (up to 2000) through its own HTTPS listener over loopback, for "
          + "TLS and the HTTP server (default: 3000; 0: no warm-up at all).")
  int warmUp = 3000;

  @Mixin
  ClusterRuleOptions ruleOptions = new ClusterRuleOptions();

  @Mixin
  CustomRuleOptions customRules = new CustomRuleOptions();

  @Mixin
  ServeTimings timings = new ServeTimings();

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  /** Released to stop the server (SIGTERM, SIGINT; tests). */
  final CountDownLatch stop = new CountDownLatch(1);

  /** The running server, once started (tests read its port). */
  volatile Server server;

  ServeCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    Optional<Framework> fw = ruleOptions.framework();
    if (fw.isEmpty()) {
      return usage(Framework.unknown(ruleOptions.framework));
    }
    Optional<Mode> mode = Mode.parse(defaultMode);
    if (mode.isEmpty()) {
      return usage("--default-mode: `" + defaultMode + "` is not enforce, warn or audit");
    }
    Optional<Severity> severity = Severity.parse(defaultSeverity);
    if (severity.isEmpty()) {
      return usage("--default-severity: `" + defaultSeverity + "` is not critical, high, medium, low or info");
    }
    if (warmUp < 0) {
      return usage("--warm-up: " + warmUp + " is not a number of requests (0 or more)");
    }
    Optional<InetSocketAddress> address = address(listen);
    if (address.isEmpty()) {
      return usage("--listen: `" + listen + "` is not HOST:PORT (such as 0.0.0.0:8443 or 127.0.0.1:0)");
    }
    ServeTimings.Read times;
    try {
      times = timings.read(offline);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    if (!ruleOptions.pssVersionValid()) {
      return usage(ruleOptions.badPssVersion());
    }
    Path configFile = config != null ? env.workingDir().resolve(config) : env.workingDir().resolve(".kapas.yaml");
    Optional<Path> configPath = config != null || Files.isRegularFile(configFile) ? Optional.of(configFile)
        : Optional.empty();
    Judge.Factory judges = new Judge.Factory() {
      @Override
      public RuleCatalog catalog() throws ConfigException {
        RuleCatalog catalog = customRules.catalog(env);
        CelRules.awaitAndPrepare(catalog.all());
        return catalog;
      }

      @Override
      public Judge of(RuleCatalog base, Config cfg) throws ConfigException {
        RuleCatalog catalog = CustomRuleOptions.withConfigRules(base, cfg);
        CelRules.awaitAndPrepare(catalog.all());
        List<Rule> rules = RuleSelection.select(catalog, cfg, fw.get(), ruleOptions.onlyRules,
            r -> !offline || !Judge.NEED_THE_CLUSTER.contains(r.spec().id()), NAME);
        return new Judge(catalog, cfg, new Engine(rules,
            new Engine.Settings(ruleOptions.pssVersion(cfg), fw.get().pssLevel(), cfg.params())));
      }

      @Override
      public List<Path> watched() {
        return customRules.rulesDirs.stream().map(env.workingDir()::resolve).toList();
      }
    };
    Optional<ClusterCache> cache = Optional.empty();
    Optional<Connection> conn = Optional.empty();
    if (!offline) {
      conn = connection.open(env, NAME);
      if (conn.isEmpty()) {
        return ExitCode.USAGE.code();
      }
      try {
        cache = Optional.of(ClusterCache.start(conn.get(), connection.timeout()));
      } catch (java.io.IOException e) {
        conn.get().close();
        env.err().println(NAME + ": " + e.getMessage());
        return ExitCode.INPUT_ERROR.code();
      }
    }
    Server.Options options = new Server.Options(address.get(), env.workingDir().resolve(tlsCert),
        env.workingDir().resolve(tlsKey), configPath, mode.get(), severity.get(), times.reload(), times.audit(), times.grace(),
        warmUp);
    try {
      server = Server.start(options, judges, cache, env.err(), LocalDate::now);
    } catch (ConfigException e) {
      return stopEarly(cache, conn, e.display());
    } catch (Exception e) {
      return stopEarly(cache, conn, e instanceof java.io.IOException
          ? "cannot listen on " + listen + ": " + dev.kapas.source.Failures.describe(e) : e.getMessage());
    }
    env.err().println(NAME + ": listening on https://" + address.get().getHostString() + ":" + server.port()
        + (offline ? " (offline)" : " (cluster context " + conn.get().context() + ")"));
    env.err().flush();
    onSignal("TERM");
    onSignal("INT");
    stop.await();
    env.err().println(NAME + ": stopping");
    env.err().flush();
    server.close();
    conn.ifPresent(Connection::close);
    env.err().println(NAME + ": stopped");
    return ExitCode.OK.code();
  }

  private int stopEarly(Optional<ClusterCache> cache, Optional<Connection> conn, String message) {
    cache.ifPresent(ClusterCache::close);
    conn.ifPresent(Connection::close);
    return usage(message);
  }

  /** Stops on the signal instead of the JVM's default (exit 143 without answering requests in flight). */
  private void onSignal(String name) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
    } catch (IllegalArgumentException e) {
      // the signal is not there (or the JVM keeps it); its default stays
    }
  }

  static Optional<InetSocketAddress> address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      return port < 0 || port > 65535 ? Optional.empty() : Optional.of(new InetSocketAddress(host, port));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}

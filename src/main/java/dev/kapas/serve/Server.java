package dev.kapas.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.ConfigLoader;
import dev.kapas.policy.FailOn;
import dev.kapas.policy.Framework;
import dev.kapas.report.HtmlReport;
import dev.kapas.report.ScanReport;
import dev.kapas.source.cluster.ClusterCache;
import dev.kapas.source.cluster.ClusterSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * kapas serve: the validating admission webhook at {@code /validate} over HTTPS, with {@code
 * /healthz}, {@code /readyz}, {@code /metrics} (Prometheus) and the latest audit at {@code /}. The
 * serving certificate and the config are read again when their files change; the continuous
 * audit scans the informer cache every {@code auditInterval}. {@link #close()} stops gracefully:
 * not ready at once, then requests in flight are answered before the listener goes.
 */
public final class Server implements AutoCloseable {
  /** Requests larger than this are refused (the API server sends at most 3 MiB objects). */
  static final int MAX_BODY = 8 << 20;

  /**
   * @param listen where to listen
   * @param config the config file, read again when it changes (empty: none)
   * @param reloadInterval how often the certificate, key and config files are checked for changes
   * @param auditInterval how often the continuous audit runs (empty: never)
   * @param shutdownGrace how long requests in flight may take to finish at shutdown
   * @param warmUp how many built-in sample requests are judged before {@code /readyz} says ready ({@link WarmUp})
   */
  public record Options(InetSocketAddress listen, Path tlsCert, Path tlsKey, Optional<Path> config, Mode defaultMode,
      Severity defaultSeverity, Duration reloadInterval, Optional<Duration> auditInterval, Duration shutdownGrace,
      int warmUp) {}

  private final Options options;
  private final Judge.Factory judges;
  private final Optional<ClusterCache> cache;
  private final PrintWriter log;
  private final Supplier<LocalDate> today;
  private final Metrics metrics = new Metrics();
  private final AtomicReference<Judge> judge = new AtomicReference<>();
  private final ReloadingKeys keys;
  private final HttpsServer http;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Webhook.ClusterView cluster;
  private final Webhook webhook;
  /** Judges the warm-up's requests; its metrics are never shown. */
  private final Webhook warmUpWebhook;
  /** Marks the warm-up's requests over HTTPS ({@link WarmUp#HEADER}); random, known to this process alone. */
  private final String warmUpToken;
  /** Where the warm-up sends its requests over HTTPS, from where the listener is bound. */
  private final java.util.function.UnaryOperator<InetSocketAddress> warmUpTarget;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean warm;
  private volatile String configStamp = "";
  private volatile String failedStamp = "";
  private volatile Judge.Audit latestAudit;

  private Server(Options options, Judge.Factory judges, Optional<ClusterCache> cache, PrintWriter log,
      Supplier<LocalDate> today, java.util.function.UnaryOperator<InetSocketAddress> warmUpTarget)
      throws PemFiles.BadPem, ConfigException, IOException, GeneralSecurityException {
    this.options = options;
    this.warmUpTarget = warmUpTarget;
    this.judges = judges;
    this.cache = cache;
    this.log = log;
    this.today = today;
    this.warm = options.warmUp() == 0;
    loadConfig();
    this.keys = new ReloadingKeys(options.tlsCert(), options.tlsKey());
    this.cluster = cache.<Webhook.ClusterView>map(c -> new CachedCluster(c)).orElse(OFFLINE);
    this.webhook = new Webhook(judge::get, cluster, options.defaultMode(), options.defaultSeverity(), metrics, today);
    this.warmUpWebhook = new Webhook(judge::get, cluster, options.defaultMode(), options.defaultSeverity(),
        new Metrics(), today);
    byte[] random = new byte[16];
    new java.security.SecureRandom().nextBytes(random);
    this.warmUpToken = java.util.HexFormat.of().formatHex(random);
    this.http = HttpsServer.create(options.listen(), 256);
    http.setHttpsConfigurator(new HttpsConfigurator(keys.context()));
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    this.workers = Executors.newFixedThreadPool(threads, daemon("kapas-serve"));
    http.setExecutor(workers);
    http.createContext("/validate", this::validate);
    http.createContext("/healthz", ex -> text(ex, 200, "ok\n"));
    http.createContext("/readyz", ex -> text(ex, ready() ? 200 : 503, ready() ? "ok\n" : notReady() + "\n"));
    http.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        metrics.render().getBytes(StandardCharsets.UTF_8)));
    http.createContext("/", this::home);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("kapas-serve-timer"));
  }

  /**
   * Loads the config and the serving keys, binds the listener and starts serving.
   *
   * @throws PemFiles.BadPem the certificate or key does not load (the message names the file)
   * @throws ConfigException the config does not load
   * @throws IllegalArgumentException the config leaves no rule to run
   */
  public static Server start(Options options, Judge.Factory judges, Optional<ClusterCache> cache, PrintWriter log,
      Supplier<LocalDate> today) throws Exception {
    return start(options, judges, cache, log, today, Server::loopback);
  }

  /** {@link #start}, the warm-up over HTTPS sent where {@code warmUpTarget} says (tests: where nothing answers). */
  static Server start(Options options, Judge.Factory judges, Optional<ClusterCache> cache, PrintWriter log,
      Supplier<LocalDate> today, java.util.function.UnaryOperator<InetSocketAddress> warmUpTarget) throws Exception {
    Server s = new Server(options, judges, cache, log, today, warmUpTarget);
    s.http.start();
    long reload = Math.max(1, options.reloadInterval().toMillis());
    s.timers.scheduleWithFixedDelay(s::reloadFiles, reload, reload, TimeUnit.MILLISECONDS);
    options.auditInterval().ifPresent(every -> s.timers.scheduleWithFixedDelay(s::auditIfSynced, 0,
        every.toMillis(), TimeUnit.MILLISECONDS));
    daemon("kapas-serve-warm-up").newThread(s::warmUp).start();
    return s;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * Whether requests are judged as they will be, and as fast: the cache has listed every kind
   * once, the judging path is warm, and not stopping.
   */
  public boolean ready() {
    return !stopping && synced() && warm;
  }

  private boolean synced() {
    return cache.map(ClusterCache::synced).orElse(true);
  }

  private String notReady() {
    return stopping ? "shutting down" : !synced() ? "the cluster cache is still listing objects"
        : "warming up: judging built-in sample requests";
  }

  /**
   * Where the warm-up reaches the listener bound at {@code bound}: 127.0.0.1 when it listens on
   * every address, else the address itself (never another host).
   */
  static InetSocketAddress loopback(InetSocketAddress bound) {
    return bound.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), bound.getPort()) : bound;
  }

  /** Requests the warm-up sends over HTTPS: a third of {@code --warm-up}, up to 2,000. */
  static int overHttps(int warmUp) {
    return Math.min(2000, Math.max(1, warmUp / 3));
  }

  /** How long the warm-up over HTTPS may take in all. */
  static final Duration HTTPS_WARM_UP_TIME = Duration.ofSeconds(10);

  /**
   * Once the cache has synced: the built-in sample requests judged {@code options.warmUp()} times
   * by a webhook of their own (the metrics do not count them), among the cluster as cached, so the
   * JIT has compiled the judging path and the cache's index is made before the first real request
   * (the API server sends nothing to a pod that is not ready); then a third of that number (up to
   * 2,000, within {@link #HTTPS_WARM_UP_TIME}) posted to the server's own listener over HTTPS on a
   * few kept-alive connections, for the TLS and HTTP code. Then ready, also when that part failed
   * (logged once).
   */
  private void warmUp() {
    try {
      while (!synced() && !stopping) {
        Thread.sleep(50);
      }
      if (options.warmUp() > 0 && !stopping) {
        WarmUp.Result r = WarmUp.run(warmUpWebhook, options.warmUp(), () -> stopping);
        log.println("kapas serve: warmed up on " + r.requests() + " sample requests (" + r.denied() + " denied) in "
            + r.took().toMillis() + " ms");
        log.flush();
        warmUpOverHttps();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Webhook.BadReview | RuntimeException e) {
      log.println("kapas serve: the warm-up stopped (requests are judged all the same): " + e);
      log.flush();
    } finally {
      warm = true;
    }
  }

  private void warmUpOverHttps() {
    if (stopping) {
      return;
    }
    InetSocketAddress target = warmUpTarget.apply(http.getAddress());
    WarmUp.OverHttps r = WarmUp.overHttps(target, keys.leaf(), warmUpToken, overHttps(options.warmUp()),
        HTTPS_WARM_UP_TIME, () -> stopping);
    String where = target.getAddress().getHostAddress() + " port " + target.getPort();
    log.println(r.failure().map(why -> "kapas serve: the warm-up over HTTPS to " + where + " stopped after "
        + r.requests() + " requests (ready all the same): " + why).orElse("kapas serve: warmed up the HTTPS listener on "
        + r.requests() + " sample requests from " + where + " on " + WarmUp.CONNECTIONS + " connections in "
        + r.took().toMillis() + " ms"));
    log.flush();
  }

  /**
   * Whether {@code ex} is one of the warm-up's own requests over HTTPS: before ready, with this
   * process's token, from this host (a loopback address, or the listener's own address).
   */
  private boolean warmingUp(HttpExchange ex) {
    if (warm || !warmUpToken.equals(ex.getRequestHeaders().getFirst(WarmUp.HEADER))) {
      return false;
    }
    java.net.InetAddress peer = ex.getRemoteAddress().getAddress();
    return peer.isLoopbackAddress() || peer.equals(ex.getLocalAddress().getAddress());
  }

  /** The warm-up's token (tests). */
  String warmUpToken() {
    return warmUpToken;
  }

  /** The latest continuous audit, if one ran. */
  public Optional<Judge.Audit> latestAudit() {
    return Optional.ofNullable(latestAudit);
  }

  private void validate(HttpExchange ex) throws IOException {
    inFlight.incrementAndGet();
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.getResponseHeaders().add("Allow", "POST");
        text(ex, 405, "POST an AdmissionReview v1 here\n");
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = body(in, ex.getRequestHeaders().getFirst("Content-Length"));
      }
      if (body.length > MAX_BODY) {
        text(ex, 413, "the request is larger than " + (MAX_BODY >> 20) + " MiB\n");
        return;
      }
      byte[] answer;
      boolean warmUp = warmingUp(ex);
      try {
        answer = (warmUp ? warmUpWebhook : webhook).review(body);
      } catch (Webhook.BadReview e) {
        if (!warmUp) {
          metrics.admission("error", List.of(), 0);
        }
        text(ex, 400, e.getMessage() + "\n");
        return;
      } catch (RuntimeException e) {
        // the API server applies the webhook's failurePolicy to a 500; the warm-up logs its own failure
        if (!warmUp) {
          metrics.admission("error", List.of(), 0);
          log.println("kapas serve: could not judge a request: " + e);
          log.flush();
        }
        text(ex, 500, "kapas could not judge this request: " + e + "\n");
        return;
      }
      send(ex, 200, "application/json", answer);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * The request body, up to {@link #MAX_BODY} and one byte more (to tell a larger one). With a
   * Content-Length, as the API server sends, read into an array of that size: InputStream's own
   * readNBytes(int) reads through 16 KiB buffers and copies, which was a tenth of what a request
   * allocated.
   */
  static byte[] body(InputStream in, String contentLength) throws IOException {
    long declared = -1;
    try {
      declared = contentLength == null ? -1 : Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      declared = -1;
    }
    if (declared < 0 || declared > MAX_BODY) {
      return in.readNBytes(MAX_BODY + 1);
    }
    byte[] body = new byte[(int) declared];
    int read = in.readNBytes(body, 0, body.length);
    return read == body.length ? body : java.util.Arrays.copyOf(body, read);
  }

  /**
   * {@code /}: the latest audit. The HTML report of {@code -f html} takes this page over once it
   * exists; until then a short plain-text summary ({@link #latestAuditPage()}).
   */
  private void home(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals("/")) {
        text(ex, 404, "not found; kapas serve answers /validate, /healthz, /readyz, /metrics and /\n");
        return;
      }
      Judge.Audit a = latestAudit;
      if (a == null) {
        text(ex, 200, latestAuditPage());
        return;
      }
      ex.getResponseHeaders().set("Content-Security-Policy", HtmlReport.CONTENT_SECURITY_POLICY);
      send(ex, 200, "text/html; charset=utf-8", auditHtml(a).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The latest audit as the self-contained HTML report {@code -f html} writes. */
  static String auditHtml(Judge.Audit a) throws IOException {
    Map<String, RuleSpec> ran = new LinkedHashMap<>();
    a.evaluation().rules().forEach(r -> ran.put(r.spec().id(), r.spec()));
    ScanReport report = new ScanReport(version(), Framework.FOUR_C, PssVersion.LATEST, FailOn.DEFAULT, ran,
        a.findings(), a.errors(), List.of(), List.of(), a.scores(), a.evaluation(), List.of(), 0);
    StringWriter out = new StringWriter();
    new HtmlReport("kapas serve: audit of " + a.at()).write(report, out);
    return out.toString();
  }

  private static String version() {
    Properties p = new Properties();
    try (InputStream in = Server.class.getResourceAsStream("/kapas-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "dev";
    }
    return p.getProperty("version", "dev");
  }

  /** What the latest audit found, as plain text: the page at {@code /} before the first audit, and the log. */
  String latestAuditPage() {
    Judge.Audit a = latestAudit;
    StringBuilder page = new StringBuilder("kapas serve\n\n");
    if (a == null) {
      return page.append(cache.isEmpty() ? "Offline (--offline): no continuous audit.\n"
          : options.auditInterval().isEmpty() ? "No continuous audit (--audit-interval not given).\n"
          : "The first audit has not run yet.\n").toString();
    }
    long active = a.findings().stream().filter(f -> !f.suppressed()).count();
    page.append("Latest audit: ").append(a.at()).append(", ").append(a.objects()).append(" objects, ")
        .append(active).append(" findings, in ").append(a.took().toMillis()).append(" ms\n");
    a.scores().byLayer().forEach((layer, score) ->
        page.append("  score ").append(layer.label()).append(": ").append(Math.round(score)).append('\n'));
    page.append('\n');
    for (Finding f : a.findings()) {
      if (!f.suppressed()) {
        page.append(f.severity().label()).append(' ').append(f.ruleId()).append(' ').append(f.object().display())
            .append(": ").append(f.message()).append('\n');
      }
    }
    a.errors().forEach(d -> page.append("not scanned: ").append(d.display()).append('\n'));
    return page.toString();
  }

  private void auditIfSynced() {
    if (cache.isEmpty() || !cache.get().synced()) {
      return;
    }
    try {
      List<Diagnostic> notes = new ArrayList<>();
      List<KubeObject> objects = cache.get().scanned(notes);
      Judge.Audit a = judge.get().audit(objects, cache.get().problems(), notes, today.get());
      latestAudit = a;
      metrics.audited(a);
    } catch (RuntimeException e) {
      log.println("kapas serve: the audit failed: " + e);
      log.flush();
    }
  }

  private void reloadFiles() {
    try {
      if (keys.reloadIfChanged()) {
        log.println("kapas serve: serving certificate reloaded: " + keys.leaf().getSubjectX500Principal().getName()
            + ", valid until " + keys.leaf().getNotAfter().toInstant());
      }
    } catch (PemFiles.BadPem e) {
      metrics.reloadFailed();
      log.println("kapas serve: " + e.getMessage() + "; the previous certificate stays in use");
    }
    try {
      if (loadConfig()) {
        log.println("kapas serve: config and rules reloaded" + options.config().map(f -> " from " + f).orElse(""));
      }
    } catch (ConfigException e) {
      configFailed(e.display());
    } catch (IllegalArgumentException e) {
      configFailed(e.getMessage());
    }
    log.flush();
  }

  /** Logs a config or rule file that does not load, once per change of the files; the previous judge stays. */
  private void configFailed(String message) {
    String stamp = stamp();
    if (!stamp.equals(failedStamp)) {
      failedStamp = stamp;
      metrics.reloadFailed();
      log.println("kapas serve: " + message + "; the previous config and rules stay in use");
    }
  }

  /**
   * Loads the config and the rules when their files changed (or first): the built-in rules, the
   * rule files of {@code --rules-dir} and the config's {@code customRules}. True when a new judge
   * is in use.
   */
  private boolean loadConfig() throws ConfigException {
    String stamp = stamp();
    if (stamp.equals(configStamp)) {
      return false;
    }
    RuleCatalog catalog = judges.catalog();
    Config cfg = Config.empty();
    if (options.config().isPresent()) {
      Path file = options.config().get();
      if (ReloadingKeys.stamp(file).equals("missing")) {
        throw new ConfigException(file.toString(), 0, "config file not found");
      }
      cfg = new ConfigLoader(catalog).load(file);
    }
    judge.set(judges.of(catalog, cfg));
    boolean first = configStamp.isEmpty();
    configStamp = stamp;
    failedStamp = "";
    return !first;
  }

  /** What the config file and the rule files are now: their times, sizes and real paths. */
  private String stamp() {
    StringBuilder sb = new StringBuilder("config ");
    sb.append(options.config().map(ReloadingKeys::stamp).orElse("none"));
    for (Path watched : judges.watched()) {
      sb.append("\n").append(watched).append(':');
      if (!Files.isDirectory(watched)) {
        sb.append(ReloadingKeys.stamp(watched));
        continue;
      }
      try (java.util.stream.Stream<Path> walk = Files.walk(watched)) {
        walk.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted()
            .forEach(f -> sb.append(' ').append(ReloadingKeys.stamp(f)));
      } catch (IOException | java.io.UncheckedIOException e) {
        sb.append("unreadable");
      }
    }
    return sb.toString();
  }

  /** Stops: not ready at once, requests in flight answered (up to the grace period), then the listener and the cache. */
  @Override
  public void close() {
    stopping = true;
    timers.shutdownNow();
    // Java 17's HttpServer.stop(delay) waits the whole delay even when nothing is in flight, so
    // kapas waits for its own count of requests being judged, then stops at once.
    long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
    try {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.stop(0);
    workers.shutdownNow();
    cache.ifPresent(ClusterCache::close);
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Offline: only the object itself is judged, and every namespace has the default mode. */
  private static final Webhook.ClusterView OFFLINE = new Webhook.ClusterView() {
    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
      return Optional.empty();
    }

    @Override
    public Scope scope() {
      return Scope.EMPTY;
    }

    @Override
    public String origin(String kind, String namespace, String name) {
      return "admission/" + kind + (namespace.isEmpty() ? "" : "/" + namespace) + "/" + name;
    }
  };

  /** The informer cache, its index updated object by object as the cache changes. */
  private static final class CachedCluster implements Webhook.ClusterView {
    private final ClusterCache cache;
    private final Scope scope = new Scope(List.of());

    CachedCluster(ClusterCache cache) {
      this.cache = cache;
      cache.listen(new ClusterCache.Listener() {
        @Override
        public void put(KubeObject o) {
          scope.put(o);
        }

        @Override
        public void removed(String kind, String namespace, String name) {
          scope.remove(kind, namespace, name);
        }
      });
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
      return cache.find("Namespace", "", namespace).map(KubeObject::labels);
    }

    @Override
    public Scope scope() {
      return scope;
    }

    @Override
    public String origin(String kind, String namespace, String name) {
      return ClusterSource.originPrefix(cache.context(), kind) + (namespace.isEmpty() ? "" : "/" + namespace) + "/" + name;
    }
  }
}

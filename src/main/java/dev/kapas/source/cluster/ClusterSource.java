package dev.kapas.source.cluster;

import dev.kapas.source.Failures;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.JsonDocuments;
import dev.kapas.source.manifest.YamlTreeReader;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a live cluster through its API: discovers what the server serves, then lists every kind
 * the rules need once (per namespace with {@code -n}), page by page ({@code limit}/{@code
 * continue}), several kinds at a time. Pages are read as raw JSON into the same trees as manifest
 * files, so rules, reports and exceptions treat them alike; each object's origin is {@code
 * cluster/<context>/<kind>/<namespace>/<name>}. Read-only: only GET requests. Secrets are listed
 * as metadata only, and their last-applied-configuration annotation (which holds the values) is
 * dropped.
 */
public final class ClusterSource {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
  /** Controllers whose pod template rules already check: the pods and ReplicaSets they own add only repeats. */
  private static final Set<String> CONTROLLERS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
      "CronJob", "ReplicationController");

  private final HttpClient http;
  private final String server;
  private final String context;
  private final Options options;
  private final JsonDocuments json = new JsonDocuments(YamlTreeReader.Limits.DEFAULT);
  private Set<String> onlyKinds = Set.of();
  private Set<String> skipKinds = Set.of();

  /**
   * @param namespaces only these namespaces (empty: all)
   * @param excluded namespaces left out (their objects and the Namespace objects)
   * @param timeout for the whole read; what is not listed by then is an input error
   * @param pageSize items per list request
   * @param parallel kinds listed at the same time
   */
  public record Options(List<String> namespaces, Set<String> excluded, Duration timeout, int pageSize, int parallel) {
    public Options {
      namespaces = List.copyOf(namespaces);
      excluded = Set.copyOf(excluded);
    }
  }

  /** The server's {@code /version}. */
  public record ServerVersion(String gitVersion, int major, int minor) {}

  /**
   * What was read: objects in listing order, input errors (forbidden or failed kinds), notes (kinds
   * not served, objects left out) and the time the listing took.
   */
  public record Result(List<KubeObject> objects, List<Diagnostic> errors, List<Diagnostic> notes,
      Optional<ServerVersion> version, Duration listing) {}

  public ClusterSource(HttpClient http, String server, String context, Options options) {
    this.http = http;
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.context = context;
    this.options = options;
  }

  /** Lists only these kinds (such as the RBAC ones for who-can); by default every kind the rules need. */
  public ClusterSource only(Set<String> kinds) {
    this.onlyKinds = Set.copyOf(kinds);
    return this;
  }

  /** Does not list these kinds (such as Secret, for credentials that may not list them). */
  public ClusterSource skip(Set<String> kinds) {
    this.skipKinds = Set.copyOf(kinds);
    return this;
  }

  /** The origin file of objects of this kind: {@code cluster/<context>/<kind>}. */
  public static String originPrefix(String context, String kind) {
    return "cluster/" + context + "/" + kind;
  }

  public Result read(Progress progress) {
    long start = System.nanoTime();
    long deadline = start + options.timeout().toNanos();
    List<Diagnostic> errors = new ArrayList<>();
    List<Diagnostic> notes = new ArrayList<>();
    String where = "cluster/" + context;
    Optional<ServerVersion> version;
    Map<ApiResource, String> served;
    try {
      version = version(deadline);
      served = discover(deadline, notes);
    } catch (ApiException e) {
      errors.add(Diagnostic.ofFile(where, "cannot read the cluster at " + server + ": " + e.getMessage()));
      return new Result(List.of(), errors, notes, Optional.empty(), Duration.ofNanos(System.nanoTime() - start));
    }
    List<Listing> listings = new ArrayList<>();
    for (Map.Entry<ApiResource, String> e : served.entrySet()) {
      ApiResource r = e.getKey();
      if (!r.namespaced() || options.namespaces().isEmpty()) {
        listings.add(new Listing(r, e.getValue(), ""));
      } else {
        for (String ns : options.namespaces()) {
          listings.add(new Listing(r, e.getValue(), ns));
        }
      }
    }
    progress.start("listing " + listings.size() + " kinds", listings.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.parallel(), listings.size())),
        r -> {
          Thread t = new Thread(r, "kapas-list");
          t.setDaemon(true);
          return t;
        });
    List<KubeObject> objects = new ArrayList<>();
    try {
      List<Future<List<KubeObject>>> futures = new ArrayList<>();
      for (Listing l : listings) {
        futures.add(pool.submit(() -> {
          List<KubeObject> out = list(l, deadline);
          progress.advance();
          return out;
        }));
      }
      for (int i = 0; i < futures.size(); i++) {
        Listing l = listings.get(i);
        String origin = originPrefix(context, l.resource.kind()) + (l.namespace.isEmpty() ? "" : "/" + l.namespace);
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          objects.addAll(futures.get(i).get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException | CancellationException e) {
          futures.get(i).cancel(true);
          errors.add(Diagnostic.ofFile(origin, "not scanned: timed out after " + options.timeout().toSeconds()
              + " s (--timeout)"));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          String message = cause instanceof ApiException ? cause.getMessage() : String.valueOf(cause);
          errors.add(Diagnostic.ofFile(origin, "not scanned: " + message));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(Diagnostic.ofFile(where, "not scanned: interrupted"));
    } finally {
      pool.shutdownNow();
      progress.done();
    }
    List<KubeObject> kept = withoutOwned(objects, notes, where);
    return new Result(kept, errors, notes, version, Duration.ofNanos(System.nanoTime() - start));
  }

  /** One list call series: a kind, in one namespace or all. */
  private record Listing(ApiResource resource, String version, String namespace) {}

  private Optional<ServerVersion> version(long deadline) throws ApiException {
    MapNode v = getMap("/version", "application/json", deadline);
    String git = v.get("gitVersion").textOr("");
    int major = leadingInt(v.get("major").textOr(""));
    int minor = leadingInt(v.get("minor").textOr(""));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("v?(\\d+)\\.(\\d+).*").matcher(git);
    if ((major < 0 || minor < 0) && m.matches()) {
      // builds from source (distribution packages) may leave major and minor empty
      major = Integer.parseInt(m.group(1));
      minor = Integer.parseInt(m.group(2));
    }
    return major < 0 || minor < 0 ? Optional.empty() : Optional.of(new ServerVersion(git, major, minor));
  }

  /** "20+" (as GKE and EKS report it) is 20. */
  public static int leadingInt(String s) {
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(s.substring(0, end));
  }

  /**
   * The resources the server serves outside namespaces, as {@code plural.group} ({@code nodes.}
   * for the core group), from discovery: each API group's preferred version. Custom resources
   * are among them, which is what a RoleBinding cannot grant. A group whose discovery fails is
   * left out (its resources then count as namespaced, the cautious side for who-can).
   */
  public Set<String> clusterScopedResources() {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Set<String> out = new HashSet<>();
    Map<String, String> preferred = new LinkedHashMap<>(); // group to its preferred version
    preferred.put("", "v1");
    try {
      for (Node g : getMap("/apis", "application/json", deadline).get("groups").items()) {
        String version = g.path("preferredVersion", "version").textOr("");
        if (!version.isEmpty()) {
          preferred.put(g.get("name").textOr(""), version);
        }
      }
    } catch (ApiException e) {
      return out;
    }
    for (Map.Entry<String, String> gv : preferred.entrySet()) {
      try {
        for (Node r : getMap(ApiResource.groupVersionPath(gv.getKey(), gv.getValue()), "application/json", deadline)
            .get("resources").items()) {
          String name = r.get("name").textOr("");
          if (!name.isEmpty() && name.indexOf('/') < 0 && r.get("namespaced").isFalse()) {
            out.add(name + "." + gv.getKey());
          }
        }
      } catch (ApiException e) {
        // left out: see above
      }
    }
    return out;
  }

  /** The version to list each kind at: the first preferred version that the server serves with that resource. */
  Map<ApiResource, String> discover(long deadline, List<Diagnostic> notes) throws ApiException {
    Map<String, Set<String>> groupVersions = new HashMap<>();
    groupVersions.put("", Set.of("v1"));
    MapNode groups = getMap("/apis", "application/json", deadline);
    for (Node g : groups.get("groups").items()) {
      Set<String> versions = new HashSet<>();
      for (Node v : g.get("versions").items()) {
        v.get("version").text().ifPresent(versions::add);
      }
      groupVersions.put(g.get("name").textOr(""), versions);
    }
    Map<String, Set<String>> resourcesByGroupVersion = new HashMap<>();
    Map<ApiResource, String> out = new LinkedHashMap<>();
    for (ApiResource r : ApiResource.ALL) {
      if ((!onlyKinds.isEmpty() && !onlyKinds.contains(r.kind())) || skipKinds.contains(r.kind())) {
        continue;
      }
      String chosen = null;
      for (String v : r.versions()) {
        if (!groupVersions.getOrDefault(r.group(), Set.of()).contains(v)) {
          continue;
        }
        String path = ApiResource.groupVersionPath(r.group(), v);
        Set<String> names = resourcesByGroupVersion.get(path);
        if (names == null) {
          names = new HashSet<>();
          for (Node res : getMap(path, "application/json", deadline).get("resources").items()) {
            res.get("name").text().ifPresent(names::add);
          }
          resourcesByGroupVersion.put(path, names);
        }
        if (names.contains(r.plural())) {
          chosen = v;
          break;
        }
      }
      if (chosen == null) {
        notes.add(Diagnostic.ofFile("cluster/" + context, "not scanned: " + r.display()
            + " is not served by this API server"));
      } else {
        out.put(r, chosen);
      }
    }
    return out;
  }

  private List<KubeObject> list(Listing l, long deadline) throws ApiException {
    ApiResource r = l.resource;
    String apiVersion = ApiResource.apiVersion(r.group(), l.version);
    StringBuilder base = new StringBuilder(ApiResource.groupVersionPath(r.group(), l.version));
    String fieldSelector = "";
    if (!l.namespace.isEmpty()) {
      base.append("/namespaces/").append(l.namespace);
    } else if (r.kind().equals("Namespace") && !options.namespaces().isEmpty()) {
      // with -n only the named namespaces' own objects
      fieldSelector = String.join(",", options.namespaces());
    }
    base.append('/').append(r.plural()).append("?limit=").append(options.pageSize());
    List<KubeObject> out = new ArrayList<>();
    String token = "";
    do {
      if (Thread.currentThread().isInterrupted()) {
        throw new ApiException("interrupted");
      }
      String path = base + (token.isEmpty() ? "" : "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
      MapNode page = getMap(path, r.metadataOnly() ? METADATA_ONLY : "application/json", deadline);
      for (Node item : page.get("items").items()) {
        if (item instanceof MapNode map) {
          MapNode object = object(map, apiVersion, r);
          KubeObject o = new KubeObject(object, new Origin("", 1, 0, 0));
          if (keep(o, fieldSelector)) {
            String origin = originPrefix(context, r.kind()) + (o.namespace().isEmpty() ? "" : "/" + o.namespace())
                + "/" + o.name();
            out.add(new KubeObject(object, new Origin(origin, 1, 0, 0)));
          }
        }
      }
      token = page.path("metadata", "continue").textOr("");
    } while (!token.isEmpty());
    return out;
  }

  private boolean keep(KubeObject o, String onlyNamespaces) {
    if (o.kind().equals("Namespace")) {
      return !options.excluded().contains(o.name())
          && (onlyNamespaces.isEmpty() || options.namespaces().contains(o.name()));
    }
    return o.namespace().isEmpty() || !options.excluded().contains(o.namespace());
  }

  /**
   * The item with the apiVersion and kind a list leaves out, without managedFields (bookkeeping no
   * rule reads); for metadata-only kinds just the metadata, without the last-applied annotation.
   */
  static MapNode object(MapNode item, String apiVersion, ApiResource r) {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    keys.add("apiVersion");
    values.add(new ScalarNode(apiVersion, false, 0, 0));
    keys.add("kind");
    values.add(new ScalarNode(r.kind(), false, 0, 0));
    for (MapNode.Entry e : item.entries()) {
      if (e.key().equals("apiVersion") || e.key().equals("kind")) {
        continue;
      }
      if (e.key().equals("metadata") && e.value() instanceof MapNode metadata) {
        keys.add("metadata");
        values.add(metadata(metadata, r.metadataOnly()));
      } else if (!r.metadataOnly()) {
        keys.add(e.key());
        values.add(e.value());
      }
    }
    return new MapNode(keys, values, 0, 0);
  }

  private static MapNode metadata(MapNode metadata, boolean metadataOnly) {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (MapNode.Entry e : metadata.entries()) {
      if (e.key().equals("managedFields")) {
        continue;
      }
      Node value = e.value();
      if (metadataOnly && e.key().equals("annotations") && value instanceof MapNode annotations
          && annotations.has(LAST_APPLIED)) {
        List<String> k = new ArrayList<>();
        List<Node> v = new ArrayList<>();
        for (MapNode.Entry a : annotations.entries()) {
          if (!a.key().equals(LAST_APPLIED)) {
            k.add(a.key());
            v.add(a.value());
          }
        }
        value = new MapNode(k, v, 0, 0);
      }
      keys.add(e.key());
      values.add(value);
    }
    return new MapNode(keys, values, 0, 0);
  }

  /**
   * Pods and ReplicaSets (and Jobs of CronJobs) that a scanned controller owns are left out: the
   * controller's template is checked already, and each finding would otherwise appear two or three
   * times. Mirror pods (owned by a Node) and pods whose owner was not read stay.
   */
  static List<KubeObject> withoutOwned(List<KubeObject> objects, List<Diagnostic> notes, String where) {
    Set<String> present = new HashSet<>();
    for (KubeObject o : objects) {
      if (CONTROLLERS.contains(o.kind())) {
        present.add(o.kind() + "/" + o.namespace() + "/" + o.name());
      }
    }
    List<KubeObject> kept = new ArrayList<>(objects.size());
    Map<String, Integer> dropped = new LinkedHashMap<>();
    for (KubeObject o : objects) {
      Optional<String> owner = controller(o);
      if (owner.isPresent() && present.contains(owner.get())) {
        dropped.merge(o.kind(), 1, Integer::sum);
      } else {
        kept.add(o);
      }
    }
    if (!dropped.isEmpty()) {
      List<String> parts = new ArrayList<>();
      dropped.forEach((kind, n) -> parts.add(n + " " + kind + (n == 1 ? "" : "s")));
      notes.add(Diagnostic.ofFile(where, String.join(", ", parts) + " managed by a scanned controller left out "
          + "(the controller's pod template is checked instead)"));
    }
    return kept;
  }

  private static Optional<String> controller(KubeObject o) {
    if (!o.kind().equals("Pod") && !o.kind().equals("ReplicaSet") && !o.kind().equals("Job")) {
      return Optional.empty();
    }
    for (Node ref : o.metadata().get("ownerReferences").items()) {
      if (ref.get("controller").isTrue() && CONTROLLERS.contains(ref.get("kind").textOr(""))) {
        return Optional.of(ref.get("kind").textOr("") + "/" + o.namespace() + "/" + ref.get("name").textOr(""));
      }
    }
    return Optional.empty();
  }

  /**
   * The registry config of the image pull secret {@code namespace/name}: its {@code
   * .dockerconfigjson}, else its legacy {@code .dockercfg}, decoded. One GET of that one Secret,
   * for {@code --images}; the value goes to the registry client only, never into the scanned
   * objects, a report or a snapshot.
   *
   * @throws IOException naming the secret when it cannot be read or holds no registry config
   */
  public byte[] pullSecret(String namespace, String name) throws java.io.IOException {
    String what = "image pull secret " + namespace + "/" + name;
    MapNode secret;
    try {
      secret = getMap("/api/v1/namespaces/" + namespace + "/secrets/" + name, "application/json",
          System.nanoTime() + options.timeout().toNanos());
    } catch (ApiException e) {
      throw new java.io.IOException(what + ": " + e.getMessage());
    }
    for (String key : List.of(".dockerconfigjson", ".dockercfg")) {
      String value = secret.get("data").get(key).textOr("");
      if (!value.isEmpty()) {
        try {
          return java.util.Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
          throw new java.io.IOException(what + ": data." + key + " is not base64");
        }
      }
    }
    throw new java.io.IOException(what + " has no .dockerconfigjson or .dockercfg (type "
        + secret.get("type").textOr("none") + ")");
  }

  private MapNode getMap(String path, String accept, long deadline) throws ApiException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new ApiException("timed out after " + options.timeout().toSeconds() + " s (--timeout)");
    }
    HttpRequest request = http.newHttpRequestBuilder()
        .uri(server + path)
        .header("Accept", accept)
        .timeout(left, TimeUnit.MILLISECONDS)
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.sendAsync(request, byte[].class).get(left, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ApiException("timed out after " + options.timeout().toSeconds() + " s (--timeout)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    } catch (ExecutionException e) {
      if (rootCause(e) instanceof java.net.http.HttpTimeoutException) {
        throw new ApiException("timed out after " + options.timeout().toSeconds() + " s (--timeout)");
      }
      throw new ApiException(Failures.describe(e));
    }
    int code = response.code();
    if (code == 403) {
      throw new ApiException("forbidden (HTTP 403 on GET " + stripQuery(path) + status(response.body()) + ")");
    }
    if (code == 401) {
      throw new ApiException("unauthorized (HTTP 401: the credentials were not accepted)");
    }
    if (code < 200 || code >= 300) {
      throw new ApiException("HTTP " + code + " from GET " + stripQuery(path) + status(response.body()));
    }
    Optional<Node> root = json.read(response.body() == null ? new byte[0] : response.body());
    if (root.isEmpty() || !(root.get() instanceof MapNode map)) {
      throw new ApiException("GET " + stripQuery(path) + " did not answer a JSON object");
    }
    return map;
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private String status(byte[] body) {
    if (body == null) {
      return "";
    }
    return json.read(body).map(n -> n.get("message").textOr("")).filter(m -> !m.isEmpty())
        .map(m -> ": " + m).orElse("");
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }


  /** A request that failed, said in one line. */
  static final class ApiException extends Exception {
    ApiException(String message) {
      super(message, null, false, false);
    }
  }
}

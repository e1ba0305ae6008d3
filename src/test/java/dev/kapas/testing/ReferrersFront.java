package dev.kapas.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution-spec v1.1 referrers API in front of a real {@link LocalRegistry}, on a free
 * port of 127.0.0.1. It plays the referrers part because no registry that implements the API can
 * run here (Debian's docker-registry 2.8 has none; zot and others cannot be built offline): every
 * request is forwarded to the real registry, which stores and serves all blobs and manifests;
 * in addition, as the spec says of a registry with the API, a manifest PUT whose body has a
 * {@code subject} is recorded and answered with the {@code OCI-Subject} header, and {@code GET
 * /v2/<name>/referrers/<digest>} answers an OCI image index of the recorded descriptors
 * (mediaType, digest, size, artifactType, annotations), honours {@code ?artifactType=} with {@code
 * OCI-Filters-Applied: artifactType} (unless told to ignore filters, as a registry may), and pages
 * with {@code Link: <…>; rel="next"} when a page size is set. {@link #withoutApi()} makes it
 * answer the referrers endpoint 404, as registries without the API do.
 */
public final class ReferrersFront implements AutoCloseable {
  public static final String INDEX = "application/vnd.oci.image.index.v1+json";
  private static final Pattern REFERRERS = Pattern.compile("^/v2/(.+)/referrers/(sha256:[0-9a-f]{64})$");
  private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
  /** Headers the JDK's client sets itself, or that do not pass through a proxy. */
  private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "date");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String upstream;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** repository@subject digest → the referrers' descriptors, in push order, by digest. */
  private final Map<String, Map<String, ObjectNode>> referrers = new ConcurrentHashMap<>();
  private final List<String> referrerRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> manifestGets = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean api = true;
  private volatile boolean honourFilters = true;
  private volatile int pageSize;
  private volatile String nextHost = "";

  /** Where clients connect: TLS handshakes are refused here, the rest is passed to {@link #server}. */
  private final java.net.ServerSocket door;
  private final java.util.concurrent.ExecutorService pipes = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "referrers-front-pipe");
    t.setDaemon(true);
    return t;
  });

  private ReferrersFront(HttpServer server, String upstream) throws IOException {
    this.server = server;
    this.upstream = upstream;
    this.door = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
  }

  /** A front of {@code registry} on a free port of 127.0.0.1. */
  public static ReferrersFront start(LocalRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ReferrersFront front = new ReferrersFront(server, registry.host());
    server.createContext("/", front::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
    front.pipes.submit(front::accept);
    return front;
  }

  /**
   * skopeo tries HTTPS first on an insecure registry: a plain-HTTP Go server answers the TLS
   * handshake with an error at once, the JDK's waits for a request line that never comes (and
   * skopeo for 10 s). So connections whose first byte opens a TLS record (0x16) are closed here,
   * and the others piped to the HTTP server.
   */
  private void accept() {
    while (!door.isClosed()) {
      try {
        java.net.Socket client = door.accept();
        pipes.submit(() -> pipe(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pipe(java.net.Socket client) {
    try (client; java.net.Socket inner = new java.net.Socket("127.0.0.1", server.getAddress().getPort())) {
      int first = client.getInputStream().read();
      if (first < 0 || first == 0x16) {
        return;
      }
      inner.getOutputStream().write(first);
      java.util.concurrent.Future<?> up = pipes.submit(() -> {
        try {
          client.getInputStream().transferTo(inner.getOutputStream());
          inner.shutdownOutput();
        } catch (IOException e) {
          // the other side went away
        }
      });
      inner.getInputStream().transferTo(client.getOutputStream());
      up.cancel(true);
    } catch (IOException e) {
      // the connection ends
    }
  }

  /** {@code 127.0.0.1:PORT} of the front. */
  public String host() {
    return "127.0.0.1:" + door.getLocalPort();
  }

  /** Pages of {@code n} descriptors from now on (0: one page). */
  public ReferrersFront pageSize(int n) {
    pageSize = n;
    return this;
  }

  /** From now on, {@code ?artifactType=} is ignored (all referrers listed, no OCI-Filters-Applied). */
  public ReferrersFront ignoringFilters() {
    honourFilters = false;
    return this;
  }

  /** From now on, next-page links are absolute URLs on {@code authority} (host:port) instead of this front. */
  public ReferrersFront nextPagesOn(String authority) {
    nextHost = authority;
    return this;
  }

  /** From now on, the referrers endpoint answers 404, as on a registry without the API. */
  public ReferrersFront withoutApi() {
    api = false;
    return this;
  }

  /** The referrers requests answered so far, as path?query. */
  public List<String> referrerRequests() {
    synchronized (referrerRequests) {
      return List.copyOf(referrerRequests);
    }
  }

  /** The manifest GETs forwarded so far, as {@code repository/reference}. */
  public List<String> manifestGets() {
    synchronized (manifestGets) {
      return List.copyOf(manifestGets);
    }
  }

  /** The descriptors recorded for {@code subject} in {@code repository}. */
  public List<ObjectNode> recorded(String repository, String subject) {
    return List.copyOf(referrers.getOrDefault(repository + "@" + subject, Map.of()).values());
  }

  /** Copies {@code layout}'s manifest tagged {@code tag} through the front to {@code repoTag}, bytes unchanged (skopeo). */
  public void pushTag(java.nio.file.Path layout, String tag, String repoTag) throws Exception {
    LocalRegistry.run("/usr/bin/skopeo", "--insecure-policy", "copy", "--all", "--preserve-digests",
        "--dest-tls-verify=false", "oci:" + layout + ":" + tag, "docker://" + host() + "/" + repoTag);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      Matcher r = REFERRERS.matcher(path);
      if (r.matches() && ex.getRequestMethod().equals("GET")) {
        referrerRequests.add(path + (ex.getRequestURI().getRawQuery() == null ? "" : "?"
            + ex.getRequestURI().getRawQuery()));
        listing(ex, r.group(1), r.group(2));
        return;
      }
      forward(ex, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      byte[] text = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, text.length);
      ex.getResponseBody().write(text);
    }
  }

  private void listing(HttpExchange ex, String repository, String subject) throws IOException {
    if (!api) {
      send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no referrers API\"}]}"
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    List<ObjectNode> all = new ArrayList<>(recorded(repository, subject));
    String filter = query.get("artifactType");
    if (filter != null && honourFilters) {
      all.removeIf(d -> !filter.equals(d.path("artifactType").asText()));
      ex.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
    }
    int page = Integer.parseInt(query.getOrDefault("page", "0"));
    List<ObjectNode> shown = all;
    if (pageSize > 0) {
      int from = Math.min(page * pageSize, all.size());
      shown = all.subList(from, Math.min(from + pageSize, all.size()));
      if (from + pageSize < all.size()) {
        ex.getResponseHeaders().set("Link", "<" + (nextHost.isEmpty() ? "" : "http://" + nextHost) + "/v2/" + repository + "/referrers/" + subject + "?page=" + (page + 1)
            + (filter == null ? "" : "&artifactType=" + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8))
            + ">; rel=\"next\"");
      }
    }
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
    ArrayNode manifests = index.putArray("manifests");
    shown.forEach(manifests::add);
    send(ex, 200, INDEX, JSON.writeValueAsBytes(index));
  }

  private void forward(HttpExchange ex, String path) throws IOException, InterruptedException {
    String method = ex.getRequestMethod();
    byte[] body = ex.getRequestBody().readAllBytes();
    String query = ex.getRequestURI().getRawQuery();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + upstream + path
        + (query == null ? "" : "?" + query)))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> req.header(name, v));
      }
    });
    HttpResponse<byte[]> answer = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    Matcher m = MANIFEST.matcher(path);
    if (m.matches() && method.equals("GET")) {
      manifestGets.add(m.group(1) + "/" + m.group(2));
    }
    answer.headers().map().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!HOP.contains(lower) && !lower.startsWith(":")) {
        values.forEach(v -> ex.getResponseHeaders().add(name, lower.equals("location")
            ? v.replace("//" + upstream + "/", "//" + host() + "/") : v));
      }
    });
    if (m.matches() && method.equals("PUT") && answer.statusCode() / 100 == 2) {
      String subject = record(m.group(1), body, ex.getRequestHeaders().getFirst("Content-Type"));
      if (subject != null) {
        ex.getResponseHeaders().set("OCI-Subject", subject);
      }
    }
    if (method.equals("HEAD")) {
      // the JDK's server sends no Content-Length for a HEAD answer of unknown length; the
      // registry's is passed on as it stands (skopeo reads a blob's size from it)
      answer.headers().firstValue("Content-Length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
      ex.sendResponseHeaders(answer.statusCode(), -1);
      return;
    }
    byte[] out = answer.body();
    ex.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    }
  }

  /** Records a pushed manifest that has a subject as its referrer; the subject's digest, or null. */
  private String record(String repository, byte[] body, String contentType) throws IOException {
    JsonNode manifest;
    try {
      manifest = JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
    String subject = manifest == null ? "" : manifest.path("subject").path("digest").asText();
    if (subject.isEmpty()) {
      return null;
    }
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", manifest.path("mediaType").asText(contentType == null ? "" : contentType));
    d.put("digest", sha256(body));
    d.put("size", body.length);
    String artifactType = manifest.path("artifactType").asText(manifest.path("config").path("mediaType").asText());
    if (!artifactType.isEmpty()) {
      d.put("artifactType", artifactType);
    }
    if (manifest.path("annotations").isObject()) {
      d.set("annotations", manifest.path("annotations"));
    }
    referrers.computeIfAbsent(repository + "@" + subject, k -> Collections.synchronizedMap(new LinkedHashMap<>()))
        .put(sha256(body), d);
    return subject;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      door.close();
    } catch (IOException e) {
      // closing anyway
    }
    pipes.shutdownNow();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}

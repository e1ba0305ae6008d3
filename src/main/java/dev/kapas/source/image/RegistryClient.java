package dev.kapas.source.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A read-only client of the OCI distribution API (Docker Registry HTTP API v2) on the JDK's HTTP
 * client: manifests, blobs, tag lists and referrers, which image reading, signatures ({@code
 * .sig} tags) and attestations (the referrers API) all need. Authentication follows the
 * registry's challenge: anonymous first, then Basic with the login, or a Bearer token fetched
 * from the realm the challenge names (with the login, if any), cached per repository.
 *
 * <p>Only GET requests are sent. 429, 5xx and connection failures are retried a bounded number of
 * times with growing pauses (a {@code Retry-After} is honoured up to a cap); 401, 403 and 404
 * are answers, not retried.
 */
public final class RegistryClient {
  static final String MANIFEST_TYPES = String.join(", ", ImageReader.OCI_INDEX, ImageReader.OCI_MANIFEST,
      ImageReader.DOCKER_LIST, ImageReader.DOCKER_MANIFEST);
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final int MAX_REDIRECTS = 5;
  /** A referrers listing is read up to this many pages. */
  private static final int MAX_REFERRER_PAGES = 16;
  private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*\\brel=\"?next\"?");

  /**
   * How to reach registries.
   *
   * @param insecure hosts (host[:port]) spoken to over plain HTTP
   * @param caFile PEM certificates trusted besides the JDK's, for a private CA
   * @param attempts tries per request for 429, 5xx and connection failures
   * @param firstPause the pause before the second try; each later one doubles
   */
  public record Options(Set<String> insecure, Optional<Path> caFile, int attempts, Duration firstPause) {
    public static Options defaults() {
      return new Options(Set.of(), Optional.empty(), 4, Duration.ofMillis(500));
    }
  }

  /** A manifest as served: its bytes, the Content-Type, and the registry's Docker-Content-Digest (may be empty). */
  public record Fetched(byte[] bytes, String mediaType, String digest) {}

  private final Options options;
  private final Credentials credentials;
  /** For a private CA: the JDK's CAs and the --ca-file ones; else the JDK's default. */
  private final Optional<javax.net.ssl.SSLSocketFactory> tls;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public RegistryClient(Options options, Credentials credentials) throws ImageError {
    this.options = options;
    this.credentials = credentials;
    this.tls = options.caFile().isPresent() ? Optional.of(trusting(options.caFile().get()).getSocketFactory())
        : Optional.empty();
  }

  public Fetched manifest(ImageRef ref, String reference) throws ImageError {
    Answer r = get(ref, "/manifests/" + reference, MANIFEST_TYPES, "manifest " + reference);
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(ImageReader.MAX_MANIFEST + 1);
      if (bytes.length > ImageReader.MAX_MANIFEST) {
        throw new ImageError("manifest " + reference + " is larger than " + ImageReader.MAX_MANIFEST + " bytes");
      }
      String type = r.header("Content-Type").orElse("").replaceFirst(";.*", "").strip();
      return new Fetched(bytes, type, r.header("Docker-Content-Digest").orElse(""));
    } catch (IOException e) {
      throw new ImageError("manifest " + reference + ": connection failed while reading: " + e.getMessage());
    }
  }

  /** The manifest at {@code reference} (a tag such as cosign's {@code sha256-<hex>.sig}), or empty when there is none (404). */
  public Optional<Fetched> manifestIfPresent(ImageRef ref, String reference) throws ImageError {
    try {
      return Optional.of(manifest(ref, reference));
    } catch (ImageError e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A blob's bytes as stored, streamed; the caller checks the digest. */
  public InputStream blob(ImageRef ref, String digest) throws ImageError {
    return get(ref, "/blobs/" + digest, "*/*", "blob " + digest).body();
  }

  /** The repository's tags ({@code /tags/list}; the first page, which registries make large). */
  public List<String> tags(ImageRef ref) throws ImageError, IOException {
    try (InputStream in = get(ref, "/tags/list", "application/json", "tag list").body()) {
      return Json.strings(Json.object(in.readNBytes(ImageReader.MAX_MANIFEST), "tag list"), "tags");
    }
  }

  /**
   * The OCI referrers listing of {@code digest} (signatures, attestations, SBOMs attached to it):
   * the image index of each page, following the registry's {@code Link: <…>; rel="next"} header
   * on the same host, {@link #MAX_REFERRER_PAGES} pages at most. A registry without the API
   * answers 404 ({@link ImageError#status()}).
   */
  public List<byte[]> referrers(ImageRef ref, String digest) throws ImageError, IOException {
    List<byte[]> pages = new ArrayList<>();
    String what = "referrers of " + digest;
    for (URI uri = uri(ref, "/referrers/" + digest); uri != null && pages.size() < MAX_REFERRER_PAGES; ) {
      Answer r = get(ref, uri, ImageReader.OCI_INDEX, what);
      URI next = next(uri, r.header("Link"), what);
      try (InputStream in = r.body()) {
        pages.add(in.readNBytes(ImageReader.MAX_MANIFEST));
      }
      uri = next;
    }
    return pages;
  }

  /** The {@code rel="next"} target of a {@code Link} header, resolved against {@code uri}; null when there is none. */
  private static URI next(URI uri, Optional<String> link, String what) throws ImageError {
    if (link.isEmpty()) {
      return null;
    }
    Matcher m = NEXT.matcher(link.get());
    if (!m.find()) {
      return null;
    }
    URI next;
    try {
      next = uri.resolve(m.group(1).strip());
    } catch (IllegalArgumentException e) {
      throw new ImageError(what + ": the registry's next-page link `" + m.group(1) + "` is not a URL");
    }
    if (!uri.getScheme().equals(next.getScheme()) || !uri.getAuthority().equals(next.getAuthority())) {
      throw new ImageError(what + ": the registry's next-page link leads to another host, " + next.getScheme() + "://"
          + next.getAuthority() + "; not followed");
    }
    return next;
  }

  private URI uri(ImageRef ref, String path) {
    return URI.create(base(ref) + "/v2/" + ref.repository() + path);
  }

  private String base(ImageRef ref) {
    String host = ref.apiHost();
    return (options.insecure().contains(host) || options.insecure().contains(ref.registry()) ? "http://" : "https://")
        + host;
  }

  /** A GET of {@code /v2/<repository><path>}, authenticated as the registry asks, retried when it is worth it. */
  private Answer get(ImageRef ref, String path, String accept, String what) throws ImageError {
    return get(ref, uri(ref, path), accept, what);
  }

  private Answer get(ImageRef ref, URI start, String accept, String what) throws ImageError {
    URI uri = start;
    String scopeKey = ref.apiHost() + "/" + ref.repository();
    boolean challenged = false;
    for (int redirects = 0; ; ) {
      Answer r = send(uri, accept, authorization(uri, scopeKey), what);
      int status = r.statusCode();
      if (status == 401 && !challenged) {
        challenged = true;
        String challenge = r.header("WWW-Authenticate").orElse("");
        discard(r);
        answer(challenge, ref, scopeKey, what);
        continue;
      }
      if (status >= 300 && status < 400 && r.header("Location").isPresent()) {
        discard(r);
        if (++redirects > MAX_REDIRECTS) {
          throw new ImageError(what + ": more than " + MAX_REDIRECTS + " redirects");
        }
        uri = uri.resolve(r.header("Location").get());
        continue;
      }
      if (status / 100 == 2) {
        return r;
      }
      String body = errorText(r);
      throw new ImageError(what + " of " + ref.display() + ": " + switch (status) {
        case 401 -> "unauthorized (HTTP 401): the registry refused " + (credentialsFor(ref) ? "the credentials" : "anonymous "
            + "access; log in (docker login, or --username with --password-stdin)");
        case 403 -> "access denied (HTTP 403)";
        case 404 -> "not found (HTTP 404)";
        default -> "the registry answered HTTP " + status;
      } + body, status);
    }
  }

  private boolean credentialsFor(ImageRef ref) {
    try {
      return credentials.forRegistry(ref.registry()).isPresent();
    } catch (ImageError e) {
      return false;
    }
  }

  /** The Authorization header for {@code uri}: none on another host than the one the token was for. */
  private Optional<String> authorization(URI uri, String scopeKey) {
    String host = uri.getAuthority();
    if (!scopeKey.startsWith(host + "/")) {
      return Optional.empty();
    }
    return Optional.ofNullable(tokens.get(scopeKey));
  }

  /** Meets a 401's challenge: Basic with the login, or a Bearer token from the realm. */
  private void answer(String challenge, ImageRef ref, String scopeKey, String what) throws ImageError {
    Optional<Credentials.Login> login = credentials.forRegistry(ref.registry());
    String scheme = challenge.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    if (scheme.equals("basic")) {
      if (login.isEmpty()) {
        throw new ImageError(what + " of " + ref.display() + ": the registry asks for a login (HTTP 401, Basic); "
            + "log in (docker login, or --username with --password-stdin)");
      }
      tokens.put(scopeKey, login.get().basic());
      return;
    }
    if (!scheme.equals("bearer")) {
      throw new ImageError(what + " of " + ref.display() + ": the registry asks for `" + scheme
          + "` authentication, which kapas does not speak (HTTP 401)");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    String realm = params.getOrDefault("realm", "");
    if (!realm.startsWith("https://") && !realm.startsWith("http://")) {
      throw new ImageError(what + " of " + ref.display() + ": the registry's token challenge names no usable realm");
    }
    String scope = params.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    if (params.containsKey("service")) {
      url.append("&service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
    }
    URI tokenUri = URI.create(url.toString());
    Answer r = send(tokenUri, "application/json", login.map(Credentials.Login::basic), "token");
    if (r.statusCode() != 200) {
      String body = errorText(r);
      throw new ImageError(what + " of " + ref.display() + ": the token service " + tokenUri.getAuthority()
          + " refused " + (login.isPresent() ? "the credentials" : "anonymous access") + " (HTTP " + r.statusCode() + ")"
          + body);
    }
    Map<String, Object> answer;
    try (InputStream in = r.body()) {
      answer = Json.object(in.readNBytes(1 << 20), "the token service's answer");
    } catch (IOException e) {
      throw new ImageError("token service " + tokenUri.getAuthority() + ": " + e.getMessage());
    }
    String token = Json.str(answer, "token").isEmpty() ? Json.str(answer, "access_token") : Json.str(answer, "token");
    if (token.isEmpty()) {
      throw new ImageError("the token service " + tokenUri.getAuthority() + " answered without a token");
    }
    tokens.put(scopeKey, "Bearer " + token);
  }

  /**
   * One answer: its status, headers and body (for an error status, the error body). The body
   * must be read to its end or closed, so that the connection can serve the next request.
   */
  private record Answer(int statusCode, HttpURLConnection connection, InputStream body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }
  }

  /**
   * One GET, retried on 429, 5xx and connection failures. On {@link HttpURLConnection}: blocking
   * reads straight into the caller's buffer cost a tenth of the CPU of the JDK's asynchronous
   * {@code java.net.http.HttpClient} on a large layer (a 483 MB blob from a registry on the same
   * machine: 0.17 s against 1.5 s warm, 0.4 s against 4.3 s in a fresh JVM; bench/README.md).
   */
  private Answer send(URI uri, String accept, Optional<String> authorization, String what) throws ImageError {
    Duration pause = options.firstPause();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        if (c instanceof javax.net.ssl.HttpsURLConnection https && tls.isPresent()) {
          https.setSSLSocketFactory(tls.get());
        }
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(15_000);
        c.setReadTimeout(60_000);
        c.setRequestProperty("Accept", accept);
        c.setRequestProperty("User-Agent", "kapas");
        authorization.ifPresent(a -> c.setRequestProperty("Authorization", a));
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        Answer r = new Answer(status, c, body == null ? InputStream.nullInputStream() : body);
        if ((status == 429 || status >= 500) && attempt < options.attempts()) {
          Duration wait = retryAfter(r).orElse(pause);
          discard(r);
          sleep(wait);
          pause = pause.multipliedBy(2);
          continue;
        }
        if (status == 429 || status >= 500) {
          String text = errorText(r);
          throw new ImageError(what + ": " + uri.getAuthority() + " answered HTTP " + status + " " + options.attempts()
              + " times; gave up" + text);
        }
        return r;
      } catch (javax.net.ssl.SSLException e) {
        // a certificate problem does not go away by asking again
        throw new ImageError(what + ": TLS with " + uri.getAuthority() + " failed (" + String.valueOf(e.getMessage())
            .replaceFirst("^.*: ", "") + "); for a private CA give --ca-file, for a plain HTTP registry --insecure-registry "
            + uri.getAuthority());
      } catch (IOException | IllegalArgumentException e) {
        String last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (attempt >= options.attempts()) {
          throw new ImageError(what + ": cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " (" + last
              + ") after " + attempt + " tries");
        }
        sleep(pause);
        pause = pause.multipliedBy(2);
      }
    }
  }

  private static Optional<Duration> retryAfter(Answer r) {
    try {
      return r.header("Retry-After").map(v -> Duration.ofSeconds(Math.min(Long.parseLong(v.strip()), 10)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void sleep(Duration d) throws ImageError {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageError("interrupted");
    }
  }

  private static void discard(Answer r) {
    try (InputStream in = r.body()) {
      in.readNBytes(1 << 16);
    } catch (IOException e) {
      // the connection is dropped either way
    }
  }

  /** The registry's error message ({@code errors[0].message}), a short bounded extract, or nothing. */
  private static String errorText(Answer r) {
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(8192);
      Map<String, Object> json = Json.object(bytes, "error");
      List<Map<String, Object>> errors = Json.objects(json, "errors");
      String msg = errors.isEmpty() ? Json.str(json, "message") : Json.str(errors.get(0), "message");
      return msg.isBlank() ? "" : ": " + msg.replaceAll("[\\p{Cntrl}]", " ").strip();
    } catch (IOException | ImageError e) {
      return "";
    }
  }

  /** The JDK's trusted CAs plus the PEM certificates in {@code caFile}. */
  private static SSLContext trusting(Path caFile) throws ImageError {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      int n = 0;
      for (var tm : defaults.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, c);
          }
        }
      }
      int own = 0;
      try (InputStream in = Files.newInputStream(caFile)) {
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-file-" + own++, c);
        }
      }
      if (own == 0) {
        throw new ImageError("--ca-file " + caFile + ": no PEM certificate in it");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new ImageError("--ca-file " + caFile + ": cannot read: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ImageError("--ca-file " + caFile + ": not a PEM certificate file: " + e.getMessage());
    }
  }
}

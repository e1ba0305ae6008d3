package dev.kapas.source.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code kapas probe --from-cluster}: the addresses to probe, from the cluster the kubeconfig's
 * context names — the API server's host, its endpoints ({@code default/kubernetes}) and every
 * node's InternalIP and ExternalIP — plus the NodePorts its Services use (for
 * {@code --nodeports sample}). Three read-only {@code GET}s to the API server with the
 * kubeconfig's own credentials (a bearer token or a client certificate); the credentials go to
 * that server only, never to a probed port, and are never printed. Exec plugins and auth
 * providers are not run.
 */
public final class ClusterTargets {
  private ClusterTargets() {}

  /** The kubeconfig cannot be used, or the API server did not answer: one line, no secret in it. */
  public static final class ClusterError extends Exception {
    public ClusterError(String message) {
      super(message);
    }
  }

  /**
   * What the cluster named.
   *
   * @param hosts each address once, in the order found, with where it came from
   * @param nodePorts the {@code nodePort}s the cluster's Services use
   * @param server the API server's URL
   */
  public record Result(Map<String, String> hosts, List<Integer> nodePorts, String server) {}

  /** The kubeconfig {@code --from-cluster} reads: {@code --kubeconfig}, else $KUBECONFIG (first file), else ~/.kube/config. */
  public static Path kubeconfig(Optional<Path> given, Map<String, String> env, Path home) {
    if (given.isPresent()) {
      return given.get();
    }
    String fromEnv = env.getOrDefault("KUBECONFIG", "");
    if (!fromEnv.isBlank()) {
      return Path.of(fromEnv.split(java.io.File.pathSeparator)[0]);
    }
    return home.resolve(".kube").resolve("config");
  }

  public static Result read(Path kubeconfig, String contextName, Duration timeout) throws ClusterError {
    Map<?, ?> config = load(kubeconfig);
    String ctxName = contextName.isEmpty() ? text(config.get("current-context")) : contextName;
    if (ctxName.isEmpty()) {
      throw new ClusterError(kubeconfig + ": no current-context (name one with --context)");
    }
    Map<?, ?> context = named(config, "contexts", ctxName, "context", kubeconfig);
    Map<?, ?> cluster = named(config, "clusters", text(context.get("cluster")), "cluster", kubeconfig);
    String userName = text(context.get("user"));
    Map<?, ?> user = userName.isEmpty() ? Map.of() : named(config, "users", userName, "user", kubeconfig);
    if (user.containsKey("exec") || user.containsKey("auth-provider")) {
      throw new ClusterError(kubeconfig + ": user " + userName + " authenticates through an exec plugin or auth "
          + "provider, which kapas does not run; use a context with a token or a client certificate");
    }
    String server = text(cluster.get("server"));
    URI base;
    try {
      base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
    } catch (IllegalArgumentException e) {
      throw new ClusterError(kubeconfig + ": cluster " + text(context.get("cluster")) + " has no usable server URL");
    }
    if (base.getHost() == null || !"https".equals(base.getScheme()) && !"http".equals(base.getScheme())) {
      throw new ClusterError(kubeconfig + ": cluster " + text(context.get("cluster")) + " has no usable server URL");
    }
    Path dir = kubeconfig.toAbsolutePath().getParent();
    HttpClient client = client(cluster, user, dir, timeout, kubeconfig);
    String token = token(user, dir, kubeconfig);

    Map<String, String> hosts = new LinkedHashMap<>();
    String serverHost = base.getHost().startsWith("[") ? base.getHost().substring(1, base.getHost().length() - 1)
        : base.getHost();
    hosts.put(serverHost, "the kubeconfig's API server");
    Map<?, ?> endpoints = get(client, base, token, "/api/v1/namespaces/default/endpoints/kubernetes", timeout);
    for (Object subset : list(endpoints.get("subsets"))) {
      for (Object address : list(map(subset).get("addresses"))) {
        hosts.putIfAbsent(text(map(address).get("ip")), "endpoints default/kubernetes");
      }
    }
    Map<?, ?> nodes = get(client, base, token, "/api/v1/nodes", timeout);
    for (Object node : list(nodes.get("items"))) {
      String name = text(map(map(node).get("metadata")).get("name"));
      for (Object address : list(map(map(node).get("status")).get("addresses"))) {
        String type = text(map(address).get("type"));
        if (type.equals("InternalIP") || type.equals("ExternalIP")) {
          hosts.putIfAbsent(text(map(address).get("address")), "node " + name + " " + type);
        }
      }
    }
    hosts.remove("");
    TreeSet<Integer> nodePorts = new TreeSet<>();
    Map<?, ?> services = get(client, base, token, "/api/v1/services", timeout);
    for (Object service : list(services.get("items"))) {
      for (Object port : list(map(map(service).get("spec")).get("ports"))) {
        if (map(port).get("nodePort") instanceof Number n && Ports.isNodePort(n.intValue())) {
          nodePorts.add(n.intValue());
        }
      }
    }
    return new Result(hosts, new ArrayList<>(nodePorts), base.toString());
  }

  private static Map<?, ?> load(Path kubeconfig) throws ClusterError {
    String text;
    try {
      text = Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new ClusterError(kubeconfig + ": cannot read the kubeconfig (" + e.getClass().getSimpleName() + ")");
    }
    try {
      Object doc = new Load(LoadSettings.builder().setLabel(kubeconfig.toString()).build()).loadFromString(text);
      if (doc instanceof Map<?, ?> m) {
        return m;
      }
      throw new ClusterError(kubeconfig + ": not a kubeconfig (a YAML map with clusters, users, contexts)");
    } catch (YamlEngineException e) {
      throw new ClusterError(kubeconfig + ": invalid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The {@code field} of the entry of {@code section} named {@code name}. */
  private static Map<?, ?> named(Map<?, ?> config, String section, String name, String field, Path file)
      throws ClusterError {
    for (Object entry : list(config.get(section))) {
      if (name.equals(text(map(entry).get("name")))) {
        return map(map(entry).get(field));
      }
    }
    throw new ClusterError(file + ": no " + field + " named `" + name + "` in " + section);
  }

  private static HttpClient client(Map<?, ?> cluster, Map<?, ?> user, Path dir, Duration timeout, Path file)
      throws ClusterError {
    try {
      TrustManager[] trust = null;
      Optional<byte[]> ca = bytes(cluster, "certificate-authority", dir, file);
      if (Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify"))) {
        throw new ClusterError(file + ": the cluster sets insecure-skip-tls-verify; kapas sends credentials only to a "
            + "server it can verify (add certificate-authority)");
      }
      if (ca.isPresent()) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca.get()))) {
          store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trust = tmf.getTrustManagers();
      }
      KeyManager[] keys = null;
      Optional<byte[]> cert = bytes(user, "client-certificate", dir, file);
      Optional<byte[]> key = bytes(user, "client-key", dir, file);
      if (cert.isPresent() && key.isPresent()) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Certificate[] chain = CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(cert.get())).toArray(Certificate[]::new);
        store.setKeyEntry("client", privateKey(key.get(), file), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        keys = kmf.getKeyManagers();
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(keys, trust, new SecureRandom());
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER).build();
    } catch (GeneralSecurityException | IOException e) {
      throw new ClusterError(file + ": cannot use the kubeconfig's certificates (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** {@code field-data} (base64) or the file {@code field} names (relative to the kubeconfig). */
  private static Optional<byte[]> bytes(Map<?, ?> m, String field, Path dir, Path file) throws ClusterError {
    String data = text(m.get(field + "-data"));
    if (!data.isEmpty()) {
      try {
        return Optional.of(Base64.getMimeDecoder().decode(data));
      } catch (IllegalArgumentException e) {
        throw new ClusterError(file + ": " + field + "-data is not base64");
      }
    }
    String path = text(m.get(field));
    if (path.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(path)));
    } catch (IOException e) {
      throw new ClusterError(file + ": " + field + " " + path + " cannot be read");
    }
  }

  /** A PEM private key: PKCS#8 ({@code PRIVATE KEY}) RSA or EC, or PKCS#1 ({@code RSA PRIVATE KEY}). */
  private static PrivateKey privateKey(byte[] pem, Path file) throws ClusterError, GeneralSecurityException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    boolean pkcs1 = text.contains("-----BEGIN RSA PRIVATE KEY-----");
    String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new ClusterError(file + ": the client key is not PEM");
    }
    if (pkcs1) {
      der = pkcs1ToPkcs8(der);
    }
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        // try the next algorithm
      }
    }
    throw new ClusterError(file + ": the client key is neither a PKCS#8 RSA or EC key nor a PKCS#1 RSA key");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01,
        0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = tlv(0x04, pkcs1);
    byte[] inner = new byte[version.length + algorithm.length + octets.length];
    System.arraycopy(version, 0, inner, 0, version.length);
    System.arraycopy(algorithm, 0, inner, version.length, algorithm.length);
    System.arraycopy(octets, 0, inner, version.length + algorithm.length, octets.length);
    return tlv(0x30, inner);
  }

  private static byte[] tlv(int tag, byte[] value) {
    int n = value.length;
    byte[] length = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + length.length + n];
    out[0] = (byte) tag;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(value, 0, out, 1 + length.length, n);
    return out;
  }

  private static String token(Map<?, ?> user, Path dir, Path file) throws ClusterError {
    String token = text(user.get("token"));
    if (token.isEmpty() && !text(user.get("tokenFile")).isEmpty()) {
      try {
        token = Files.readString(dir.resolve(text(user.get("tokenFile")))).trim();
      } catch (IOException e) {
        throw new ClusterError(file + ": tokenFile " + text(user.get("tokenFile")) + " cannot be read");
      }
    }
    return token;
  }

  private static Map<?, ?> get(HttpClient client, URI base, String token, String path, Duration timeout)
      throws ClusterError {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout.multipliedBy(5))
        .header("Accept", "application/json").header("User-Agent", "kapas-probe").GET();
    if (!token.isEmpty()) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> answer;
    try {
      answer = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ClusterError("GET " + base + path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : Wire.printable(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterError("GET " + base + path + ": interrupted");
    }
    if (answer.statusCode() == 404 && path.endsWith("/endpoints/kubernetes")) {
      return Map.of();
    }
    if (answer.statusCode() != 200) {
      throw new ClusterError("GET " + base + path + " -> " + answer.statusCode() + " (the kubeconfig's user must be "
          + "allowed to list nodes and services and get endpoints)");
    }
    try {
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(answer.body());
      return map(doc);
    } catch (YamlEngineException e) {
      throw new ClusterError("GET " + base + path + ": the answer is not JSON");
    }
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o);
  }
}

package dev.kapas.source.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials, looked up as Docker does: the ones given on the command line
 * ({@code --username}, {@code --password-stdin}) for every registry, else {@code config.json}'s
 * {@code credHelpers} for the host, its {@code auths} entry, its {@code credsStore}; a helper is
 * the program {@code docker-credential-NAME} on the PATH, asked with {@code get}.
 */
public final class Credentials {
  /** A user name and a password or token; {@link #toString()} never shows the secret. */
  public record Login(String user, String secret) {
    @Override
    public String toString() {
      return "Login[" + user + ", ***]";
    }

    String basic() {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The {@code auths} of one pull secret, and how errors name it ({@code secret shop/regcred}). */
  private record PullSecret(String label, Map<String, Object> auths) {}

  private final Optional<Login> given;
  private final Map<String, Object> dockerConfig;
  private final Path path;
  private final List<PullSecret> pullSecrets;

  private Credentials(Optional<Login> given, Map<String, Object> dockerConfig, Path path) {
    this(given, dockerConfig, path, List.of());
  }

  private Credentials(Optional<Login> given, Map<String, Object> dockerConfig, Path path, List<PullSecret> pullSecrets) {
    this.given = given;
    this.dockerConfig = dockerConfig;
    this.path = path;
    this.pullSecrets = List.copyOf(pullSecrets);
  }

  /**
   * These credentials with a pod's image pull secrets tried before the Docker config, as the
   * kubelet tries them; {@code --username} still wins. Each config is a secret's decoded {@code
   * .dockerconfigjson} ({@code {"auths": {...}}}) or legacy {@code .dockercfg} (the auths map
   * itself), keyed by how errors name the secret. An entry's key is a registry host, with or
   * without a scheme and a path.
   */
  public Credentials withPullSecrets(Map<String, byte[]> configs) throws ImageError {
    List<PullSecret> all = new ArrayList<>(pullSecrets);
    for (Map.Entry<String, byte[]> c : configs.entrySet()) {
      Map<String, Object> json = Json.object(c.getValue(), c.getKey());
      Map<String, Object> auths = json.get("auths") instanceof Map<?, ?> ? Json.obj(json, "auths") : json;
      all.add(new PullSecret(c.getKey(), auths));
    }
    return new Credentials(given, dockerConfig, path, all);
  }

  /** {@code host[:port]} of a pull secret's key: {@code https://reg.example.com/v1/} is {@code reg.example.com}. */
  private static String hostOf(String key) {
    String k = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }

  public static Credentials none() {
    return new Credentials(Optional.empty(), Map.of(), Path.of(""));
  }

  /**
   * {@code given} when present, else the Docker config file at {@code configFile} (a missing file
   * is no credentials; an unreadable one is an error, since a silent anonymous pull would fail
   * later with a less helpful message).
   */
  public static Credentials load(Optional<Login> given, Path configFile) throws ImageError {
    if (!Files.isRegularFile(configFile)) {
      return new Credentials(given, Map.of(), configFile);
    }
    try {
      return new Credentials(given, Json.object(Files.readAllBytes(configFile), configFile.toString()), configFile);
    } catch (IOException e) {
      throw new ImageError(configFile + ": cannot read: " + e.getMessage());
    }
  }

  /** The Docker config file: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
  public static Path dockerConfigFile(Map<String, String> env) {
    String dir = env.getOrDefault("DOCKER_CONFIG", "");
    if (!dir.isEmpty()) {
      return Path.of(dir, "config.json");
    }
    return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
  }

  /** The login for {@code registry} (as named in the reference, {@code docker.io} for Docker Hub). */
  Optional<Login> forRegistry(String registry) throws ImageError {
    if (given.isPresent()) {
      return given;
    }
    List<String> keys = registry.equals(ImageRef.DOCKER_HUB)
        ? List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io")
        : List.of(registry, "https://" + registry, "http://" + registry, "https://" + registry + "/v2/");
    String host = registry.equals(ImageRef.DOCKER_HUB) ? "index.docker.io" : registry;
    for (PullSecret p : pullSecrets) {
      for (String k : p.auths().keySet()) {
        String h = hostOf(k);
        if (h.equals(host) || (host.equals("index.docker.io") && (h.equals("docker.io") || h.equals("registry-1.docker.io")))) {
          Optional<Login> login = fromAuth(Json.obj(p.auths(), k), k, p.label());
          if (login.isPresent()) {
            return login;
          }
        }
      }
    }
    Map<String, Object> helpers = Json.obj(dockerConfig, "credHelpers");
    for (String k : keys) {
      if (!Json.str(helpers, k).isEmpty()) {
        return helper(Json.str(helpers, k), k);
      }
    }
    Map<String, Object> auths = Json.obj(dockerConfig, "auths");
    for (String k : keys) {
      Map<String, Object> entry = Json.obj(auths, k);
      if (!entry.isEmpty()) {
        return fromAuth(entry, k, path.toString());
      }
    }
    String store = Json.str(dockerConfig, "credsStore");
    return store.isEmpty() ? Optional.empty() : helper(store, keys.get(0));
  }

  private Optional<Login> fromAuth(Map<String, Object> entry, String key, String where) throws ImageError {
    String token = Json.str(entry, "identitytoken");
    String auth = Json.str(entry, "auth");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ImageError(where + ": auths." + key + ".auth is not base64 of user:password");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new ImageError(where + ": auths." + key + ".auth is not base64 of user:password");
      }
      return Optional.of(new Login(decoded.substring(0, colon), token.isEmpty() ? decoded.substring(colon + 1) : token));
    }
    if (!Json.str(entry, "username").isEmpty()) {
      return Optional.of(new Login(Json.str(entry, "username"), Json.str(entry, "password")));
    }
    return Optional.empty();
  }

  /** Asks {@code docker-credential-NAME get}; a helper that is not installed gives no credentials. */
  private Optional<Login> helper(String name, String server) throws ImageError {
    String program = "docker-credential-" + name;
    Optional<Path> found = onPath(program);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(found.get().toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().write(server.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readNBytes(1 << 20);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ImageError(program + " get did not answer within 30 s");
      }
      if (p.exitValue() != 0) {
        return Optional.empty();
      }
      Map<String, Object> answer = Json.object(out, program + "'s answer");
      String user = Json.str(answer, "Username");
      String secret = Json.str(answer, "Secret");
      return secret.isEmpty() ? Optional.empty() : Optional.of(new Login(user.equals("<token>") ? "" : user, secret));
    } catch (IOException e) {
      throw new ImageError("cannot run " + program + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageError(program + " was interrupted");
    }
  }

  private static Optional<Path> onPath(String program) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return Optional.of(Path.of(d, program));
      }
    }
    return Optional.empty();
  }
}

package dev.kapas.source.cluster;

import dev.kapas.source.Failures;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to read a cluster, as kubectl decides it: {@code --kubeconfig}, else the
 * first file of {@code KUBECONFIG}, else {@code ~/.kube/config}, else the pod's service account
 * (in-cluster); {@code --context} picks a context of the kubeconfig (default: its current one).
 */
public final class Connection implements AutoCloseable {
  static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
  /** fabric8's setting for a token file elsewhere (a projected token mounted at another path). */
  static final String TOKEN_FILE_ENV = "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN";
  private final KubernetesClient client;
  private final String context;

  private Connection(KubernetesClient client, String context) {
    this.client = client;
    this.context = context;
  }

  /** A connection that could not be set up, said in one line. */
  public static final class SetupException extends Exception {
    SetupException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param env the environment variables ({@code KUBECONFIG}, {@code HOME}, {@code KUBERNETES_SERVICE_HOST})
   */
  public static Connection open(Optional<Path> kubeconfig, Optional<String> context, Map<String, String> env,
      Duration timeout) throws SetupException {
    Config config;
    String name;
    Optional<Path> file = kubeconfig.or(() -> fromEnv(env));
    try {
      if (file.isPresent()) {
        if (!Files.isRegularFile(file.get())) {
          throw new SetupException("kubeconfig " + file.get() + ": no such file");
        }
        config = Config.fromKubeconfig(context.orElse(null), file.get().toFile());
        if (config.getCurrentContext() == null) {
          throw new SetupException("kubeconfig " + file.get() + " has no "
              + context.map(c -> "context `" + c + "`").orElse("current context"));
        }
        if (context.isPresent() && !context.get().equals(config.getCurrentContext().getName())) {
          throw new SetupException("kubeconfig " + file.get() + " has no context `" + context.get() + "`");
        }
        name = config.getCurrentContext().getName();
        impersonation(config, file.get());
      } else if (env.containsKey("KUBERNETES_SERVICE_HOST")
          && Files.isReadable(Optional.ofNullable(env.get(TOKEN_FILE_ENV)).map(Path::of).orElse(SERVICE_ACCOUNT_TOKEN))) {
        if (context.isPresent()) {
          throw new SetupException("--context needs a kubeconfig; running in a pod with its service account");
        }
        config = Config.autoConfigure(null);
        name = "in-cluster";
      } else {
        throw new SetupException("no kubeconfig: give --kubeconfig, set KUBECONFIG, or create ~/.kube/config "
            + "(or run in a pod with a service account)");
      }
    } catch (RuntimeException e) {
      throw new SetupException("cannot load the kubeconfig: " + Failures.describe(e));
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.setRequestTimeout(millis);
    config.setConnectionTimeout(Math.min(millis, 10_000));
    config.setRequestRetryBackoffLimit(0);
    try {
      return new Connection(new KubernetesClientBuilder().withConfig(config).build(), name);
    } catch (RuntimeException e) {
      throw new SetupException("cannot set up a client for context `" + name + "`: " + Failures.describe(e));
    }
  }

  /** The user's {@code as}/{@code as-groups} (kubectl impersonates them; fabric8 leaves them out). */
  private static void impersonation(Config config, Path file) {
    String user = config.getCurrentContext().getContext().getUser();
    for (NamedAuthInfo info : KubeConfigUtils.parseConfig(file.toFile()).getUsers()) {
      AuthInfo auth = info.getUser();
      if (info.getName().equals(user) && auth != null && auth.getAs() != null && !auth.getAs().isEmpty()) {
        config.setImpersonateUsername(auth.getAs());
        if (auth.getAsGroups() != null) {
          config.setImpersonateGroups(auth.getAsGroups().toArray(String[]::new));
        }
      }
    }
  }

  private static Optional<Path> fromEnv(Map<String, String> env) {
    String list = env.getOrDefault("KUBECONFIG", "");
    for (String part : list.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        return Optional.of(Path.of(part));
      }
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path standard = Path.of(home, ".kube", "config");
    return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
  }

  /** The client itself, for what plain GETs do not cover (kapas serve's informers). */
  public KubernetesClient client() {
    return client;
  }

  public HttpClient http() {
    return client.getHttpClient();
  }

  public String server() {
    return client.getMasterUrl().toString();
  }

  public String context() {
    return context;
  }

  @Override
  public void close() {
    client.close();
  }
}

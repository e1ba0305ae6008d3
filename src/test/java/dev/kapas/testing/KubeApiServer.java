package dev.kapas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real kube-apiserver (v1.20, built from Debian's source package by
 * {@code ../shared/tools/kube-apiserver/build.sh}) with a real etcd, started by that directory's
 * {@code start.sh} on free ports of 127.0.0.1, for the integration tests that need one.
 */
public final class KubeApiServer {
  public static final Path TOOLS = Path.of("..", "shared", "tools", "kube-apiserver");
  /** Where build.sh (run by .ci/run) leaves the binaries. */
  public static final Path BINARY = Path.of(System.getenv().getOrDefault("KAPAS_K8S_HOME",
      System.getProperty("user.home") + "/.cache/kapas-k8s"), "bin", "kube-apiserver");

  private KubeApiServer() {}

  /** Skips the calling tests (fails them in CI), with the reason, when the tools are not beside the project or not built. */
  public static void assumeBuilt() {
    TestServer.require(Files.isExecutable(TOOLS.resolve("start.sh")), "../shared/tools/kube-apiserver is not checked out beside the project");
    TestServer.require(Files.isExecutable(BINARY), "kube-apiserver is not built at " + BINARY
        + " (run ../shared/tools/kube-apiserver/build.sh, ~14 min cold; .ci/run does)");
  }

  /**
   * Starts {@code binary} (kube-apiserver, or a wrapper adding flags) with its state in {@code
   * state}. Returns what start.sh was given (STATE, ports) and what it wrote: KUBECONFIG,
   * APISERVER_URL, APISERVER_TOKEN, APISERVER_CA. Hand the map to {@link #stop}.
   */
  public static Map<String, String> start(Path state, Path binary) throws IOException, InterruptedException {
    Files.createDirectories(state);
    Map<String, String> env = new HashMap<>();
    env.put("STATE", state.toString());
    env.put("KUBE_APISERVER", binary.toString());
    env.put("APISERVER_PORT", String.valueOf(freePort()));
    int etcd = freePort();
    while (!free(etcd + 10)) { // start.sh puts etcd's peer port 10 above its client port
      etcd = freePort();
    }
    env.put("ETCD_PORT", String.valueOf(etcd));
    script(env, "start");
    for (String line : Files.readAllLines(state.resolve("env"))) {
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }

  /** A client of the started server, as its admin (the static token of context {@code local-token}). */
  public static KubernetesClient admin(Map<String, String> env) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig("local-token", Path.of(env.get("KUBECONFIG")).toFile())).build();
  }

  /** Creates every object of the multi-document {@code yaml} in the started server, as its admin. */
  public static void create(Map<String, String> env, String yaml) {
    try (KubernetesClient admin = admin(env)) {
      for (io.fabric8.kubernetes.api.model.HasMetadata o : admin.load(new java.io.ByteArrayInputStream(
          yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).items()) {
        admin.resource(o).create();
      }
    }
  }

  public static void stop(Map<String, String> env) throws IOException, InterruptedException {
    script(env, "stop");
  }

  private static void script(Map<String, String> env, String verb) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", TOOLS.resolve("start.sh").toString(), verb).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("start.sh %s: %s", verb, log).isZero();
  }

  /** A port of 127.0.0.1 nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

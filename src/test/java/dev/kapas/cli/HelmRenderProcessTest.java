package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kapas run as a real process, as a user runs it: Helm renders in a child process that sees the
 * user's environment, contacts no cluster, and is bounded and stopped with kapas.
 */
class HelmRenderProcessTest {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;
  /** kapas's own java.io.tmpdir, where a render keeps its scratch directory. */
  @TempDir Path kapasTmp;

  private Path chart(String name, String template) throws IOException {
    Path chart = dir.resolve(name);
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "{}\n");
    Files.writeString(chart.resolve("templates/t.yaml"), template);
    return chart;
  }

  private ProcessBuilder kapas(String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA, "-Djava.io.tmpdir=" + kapasTmp,
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static String finish(Process p, int seconds) throws IOException, InterruptedException {
    assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("kapas ended").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void lookupAnswersEmptyAndNoConnectionReachesTheKubeconfigsServer() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    try {
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
          contexts: [{name: c, context: {cluster: c, user: u}}]
          users: [{name: u, user: {token: t}}]
          current-context: c
          """.formatted(server.getAddress().getPort()));
      Path chart = chart("looks", """
          {{- $existing := lookup "v1" "Secret" .Release.Namespace "db" }}
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: {{ if $existing }}found{{ else }}not-found{{ end }}
            namespace: {{ .Release.Namespace }}
          data:
            kube: {{ .Capabilities.KubeVersion.Version | quote }}
          """);
      ProcessBuilder pb = kapas("scan", chart.toString(), "-f", "json", "--rules", "cluster.privileged-container");
      Map<String, String> env = pb.environment();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("HELM_KUBEAPISERVER", "http://127.0.0.1:" + server.getAddress().getPort());
      String out = finish(pb.start(), 120);
      assertThat(out).as(out).contains("\"objects\" : 1").contains("\"errors\" : 0")
          .doesNotContain("unable to retrieve");
      assertThat(requests.get()).as("requests the API server saw").isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void kubeVersionIsTheNewestKnownOrTheOneGivenAndNamespaceIsDefault() throws Exception {
    Path chart = chart("caps", """
        {{- if semverCompare ">=1.37.0-0" .Capabilities.KubeVersion.Version }}
        apiVersion: v1
        kind: Pod
        metadata:
          name: new-{{ .Release.Namespace }}
        spec:
          containers: [{name: c, image: "x:1", securityContext: {privileged: true}}]
        {{- end }}
        """);
    String newest = finish(kapas("scan", chart.toString(), "--rules", "cluster.privileged-container",
        "--no-color").start(), 120);
    // the name carries .Release.Namespace; the template sets no namespace, as Helm leaves it
    assertThat(newest).as(newest).contains("Pod/new-default");
    String older = finish(kapas("scan", chart.toString(), "--kube-version", "1.29", "-n", "shop",
        "--rules", "cluster.privileged-container", "--no-color").start(), 120);
    assertThat(older).as(older).doesNotContain("Pod/").contains("0 objects");
  }

  @Test
  void runawayTemplateIsAnInputErrorAndTheScanEndsWithExit3() throws Exception {
    Path chart = chart("runaway", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: runaway
        data:
          {{- range until 100000000 }}
          k{{ . }}: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          {{- end }}
        """);
    Process p = kapas("scan", chart.toString(), "--render-timeout", "40", "--no-color").start();
    String out = finish(p, 120);
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    // stopped by the memory bound or the time limit, whichever comes first on this machine
    assertThat(out).containsAnyOf("MiB of memory and was stopped", "longer than 40 s and was stopped");
  }

  @Test
  void sigtermStopsKapasAndItsRendererWithinASecond() throws Exception {
    Path chart = chart("slow", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: slow
        data:
          {{- range until 100000000 }}{{ end }}
          k: v
        """);
    Process p = kapas("scan", chart.toString(), "--render-timeout", "100").start();
    ProcessHandle renderer = awaitChild(p);
    assertThat(renderer.isAlive()).isTrue();
    long sent = System.nanoTime();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(1, TimeUnit.SECONDS)).as("kapas ended within a second").isTrue();
    assertThat(renderer.onExit().get(1, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(2000);
    assertThat(scratchLeft()).as("the render's scratch directory (helm-java's 98 MB library)").isEmpty();
  }

  /** What kapas left in its temporary directory. */
  private List<Path> scratchLeft() throws IOException {
    try (java.util.stream.Stream<Path> left = Files.list(kapasTmp)) {
      return left.toList();
    }
  }

  @Test
  void sigintStopsKapasWithinASecond() throws Exception {
    Path chart = chart("slow2", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: slow
        data:
          {{- range until 100000000 }}{{ end }}
          k: v
        """);
    Process p = kapas("scan", chart.toString(), "--render-timeout", "100").start();
    ProcessHandle renderer = awaitChild(p);
    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
    assertThat(p.waitFor(1, TimeUnit.SECONDS)).as("kapas ended within a second").isTrue();
    assertThat(renderer.onExit().get(1, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(scratchLeft()).as("the render's scratch directory (helm-java's 98 MB library)").isEmpty();
  }

  /** The renderer process, once it runs (Helm's library loaded and the template executing). */
  private static ProcessHandle awaitChild(Process p) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      List<ProcessHandle> children = p.children().toList();
      if (!children.isEmpty()) {
        Thread.sleep(1500); // past the child JVM's start and the library's load
        return children.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no renderer process started");
  }
}

package dev.kapas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8), started on 127.0.0.1 on a free port with a
 * temporary config and storage, plain HTTP unless the config says TLS; stopped by {@link
 * #close()}. Its access log is kept, so tests can count the requests it answered. Images are
 * pushed into it with skopeo. Fails in CI, else skips, when docker-registry or skopeo is not
 * installed.
 */
public final class LocalRegistry implements AutoCloseable {
  private static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
  private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
  private final Process process;
  private final Path log;
  private final String host;

  private LocalRegistry(Process process, Path log, String host) {
    this.process = process;
    this.log = log;
    this.host = host;
  }

  /** Skips (fails in CI) when docker-registry or skopeo is not installed. */
  public static void require() {
    TestServer.require(Files.isExecutable(REGISTRY) && Files.isExecutable(SKOPEO),
        "docker-registry and skopeo are not installed (scripts/test-servers.sh install)");
  }

  /** Starts a plain-HTTP registry without auth in {@code dir}. */
  public static LocalRegistry start(Path dir) throws Exception {
    return start(dir, "", "");
  }

  /** Starts a registry in {@code dir} with these {@code http} (extra lines) and {@code auth} config sections. */
  public static LocalRegistry start(Path dir, String http, String auth) throws Exception {
    require();
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("registry.yml");
    Files.writeString(config, "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: "
        + dir.resolve("storage") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + http + auth);
    Path log = dir.resolve("registry.log");
    Process p = new ProcessBuilder(REGISTRY.toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new LocalRegistry(p, log, "127.0.0.1:" + port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    p.destroy();
    throw new IllegalStateException("registry did not start: " + Files.readString(log));
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return host;
  }

  /**
   * Copies the OCI layout {@code layout} (tag {@code test}) to {@code host/repoTag} with skopeo;
   * {@code extra} are more skopeo flags (credentials, a CA directory).
   */
  public void push(Path layout, String repoTag, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy", "copy",
        "--dest-tls-verify=false"));
    cmd.addAll(List.of(extra));
    cmd.addAll(List.of("oci:" + layout + ":" + "test", "docker://" + host + "/" + repoTag));
    run(cmd.toArray(String[]::new));
  }

  /**
   * Copies {@code layout}'s image tagged {@code tag} to {@code host/repoTag}, bytes (and so
   * digests) unchanged; {@code extra} are more skopeo flags (credentials).
   */
  public void pushTag(Path layout, String tag, String repoTag, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy", "copy", "--all",
        "--preserve-digests", "--dest-tls-verify=false"));
    cmd.addAll(List.of(extra));
    cmd.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + host + "/" + repoTag));
    run(cmd.toArray(String[]::new));
  }

  /**
   * Copies an index and what it lists: skopeo 1.9 rewrites an index even when nothing changes
   * (so {@code --preserve-digests} refuses), but copies the manifests it lists unchanged.
   */
  public void pushIndex(Path layout, String tag, String repoTag) throws Exception {
    run(SKOPEO.toString(), "--insecure-policy", "copy", "--all", "--dest-tls-verify=false",
        "oci:" + layout + ":" + tag, "docker://" + host + "/" + repoTag);
  }

  /** How many blob GETs the registry has answered so far (layers and configs). */
  public long blobGets() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/sha256:")).count();
  }

  /** Runs a command to completion (two minutes at most), asserting it succeeded; returns its output. */
  public static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("%s: %s", List.of(command), out).isTrue();
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}

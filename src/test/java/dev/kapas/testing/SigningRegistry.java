package dev.kapas.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8) started on 127.0.0.1 on a free port, plain HTTP,
 * storage under a temporary directory; stopped by {@link #close()}. Fails in CI, else skips, when
 * docker-registry or skopeo (which tests push with) is not installed.
 */
public final class SigningRegistry implements AutoCloseable {
  private static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
  private final Process process;
  private final String host;

  private SigningRegistry(Process process, String host) {
    this.process = process;
    this.host = host;
  }

  public static SigningRegistry start(Path dir) throws Exception {
    TestServer.require(Files.isExecutable(REGISTRY) && Files.isExecutable(Path.of("/usr/bin/skopeo")),
        "docker-registry and skopeo are not installed (scripts/test-servers.sh install)");
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    Path config = dir.resolve("registry.yml");
    Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
        + dir.resolve("storage") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
    Process p = new ProcessBuilder(REGISTRY.toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new SigningRegistry(p, "127.0.0.1:" + port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    p.destroy();
    throw new IllegalStateException("registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  /** host:port */
  public String host() {
    return host;
  }

  /** Copies {@code layout}'s image tagged {@code tag} to {@code host/repositoryAndTag} with skopeo, bytes unchanged. */
  public void push(Path layout, String tag, String repositoryAndTag) throws Exception {
    run("skopeo", "--insecure-policy", "copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
        "oci:" + layout + ":" + tag, "docker://" + host + "/" + repositoryAndTag);
  }

  /**
   * Copies an index and what it lists: skopeo 1.9 rewrites an index even when nothing changes
   * (so {@code --preserve-digests} refuses), but copies the manifests it lists unchanged.
   */
  public void pushIndex(Path layout, String tag, String repositoryAndTag) throws Exception {
    run("skopeo", "--insecure-policy", "copy", "--all", "--dest-tls-verify=false",
        "oci:" + layout + ":" + tag, "docker://" + host + "/" + repositoryAndTag);
  }

  /** Runs {@code command}, which must exit 0 within two minutes; its output. */
  public static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(List.of(command) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}

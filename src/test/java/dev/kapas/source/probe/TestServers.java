package dev.kapas.source.probe;

import dev.kapas.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the real servers the probe tests talk to, each on free ports of 127.0.0.1 in
 * its own temporary directory. The packages come from {@code scripts/test-servers.sh install}, which
 * {@code .ci/run} runs: tests install nothing. A server that cannot be found makes the test skip
 * with the reason (fail in CI), never pass.
 */
final class TestServers {
  private TestServers() {}

  /** Skips the calling test (fails it in CI) with the reason unless {@code binary} exists. */
  static Path require(String binary, String pkg) {
    Path p = Path.of(binary);
    TestServer.require(Files.isExecutable(p), pkg + " is not installed (" + binary + " missing); "
        + "scripts/test-servers.sh install (run as root by .ci/run) installs it");
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Runs a command (to completion) and fails the test with its output when it fails. */
  static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** A started server process; {@link #close()} stops it. */
  static final class Server implements AutoCloseable {
    private final Process process;
    private final Path log;
    final List<Integer> ports;

    private Server(Process process, Path log, List<Integer> ports) {
      this.process = process;
      this.log = log;
      this.ports = ports;
    }

    int port() {
      return ports.get(0);
    }

    /** Starts {@code command} in {@code dir} and waits until every port accepts connections. */
    static Server start(Path dir, List<Integer> ports, List<String> command) throws IOException, InterruptedException {
      Path log = dir.resolve("server.log");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      Server s = new Server(p, log, new ArrayList<>(ports));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int port : ports) {
        while (!accepts(port)) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            s.close();
            throw new IllegalStateException(command.get(0) + " did not start on port " + port + ":\n"
                + Files.readString(log));
          }
          Thread.sleep(50);
        }
      }
      return s;
    }

    private static boolean accepts(int port) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String log() throws IOException {
      return Files.readString(log);
    }
  }

  /**
   * A throw-away CA and certificates made with the openssl command line: a server certificate
   * for {@code names} (SAN entries such as {@code IP:127.0.0.1} or {@code DNS:localhost}), a client
   * certificate, and a self-signed one.
   */
  static final class Pki {
    final Path dir;

    Pki(Path dir) {
      this.dir = dir;
    }

    static Pki create(Path dir) throws IOException, InterruptedException {
      require("/usr/bin/openssl", "openssl");
      Files.createDirectories(dir);
      run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", "ca.key",
          "-out", "ca.crt", "-subj", "/CN=kapas-test-ca");
      return new Pki(dir);
    }

    /** {@code name}.crt/.key signed by the CA, for {@code san} (e.g. {@code IP:127.0.0.1}). */
    Path issue(String name, String cn, String san, boolean client) throws IOException, InterruptedException {
      Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=CA:FALSE\n"
          + "keyUsage=digitalSignature,keyEncipherment\n"
          + "extendedKeyUsage=" + (client ? "clientAuth" : "serverAuth") + "\n"
          + (san.isEmpty() ? "" : "subjectAltName=" + san + "\n"));
      run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
          "-subj", "/CN=" + cn);
      run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-days", "30", "-extfile", name + ".ext", "-out", name + ".crt");
      return dir.resolve(name + ".crt");
    }

    /** A self-signed certificate {@code name}.crt/.key for {@code cn}, no SAN. */
    Path selfSigned(String name, String cn) throws IOException, InterruptedException {
      run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", name + ".key",
          "-out", name + ".crt", "-subj", "/CN=" + cn);
      return dir.resolve(name + ".crt");
    }

    /** {@code name}.p12 (password {@code changeit}) from {@code name}.crt/.key, for JDK servers. */
    Path pkcs12(String name) throws IOException, InterruptedException {
      run(dir, "openssl", "pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
          "-passout", "pass:changeit", "-name", name);
      return dir.resolve(name + ".p12");
    }

    Path file(String name) {
      return dir.resolve(name);
    }
  }
}

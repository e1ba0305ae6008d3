package dev.kapas.cli;

import dev.kapas.source.cluster.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How kapas cluster and kapas cluster who-can reach the API server. */
final class ConnectionOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The kubeconfig (default: the first file of KUBECONFIG, else ~/.kube/config; in a pod without "
          + "either, its service account).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "A context of the kubeconfig (default: its current one).")
  String context;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Give up on what is not read after this long (default: 120); what was read is still scanned "
          + "and the rest reported as not scanned (exit 3).")
  int timeoutSeconds = 120;

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /** Opens the connection, or prints a one-line error (prefixed with {@code command}) and returns empty. */
  Optional<Connection> open(Env env, String command) {
    if (timeoutSeconds <= 0) {
      env.err().println(command + ": --timeout must be a positive number of seconds");
      return Optional.empty();
    }
    try {
      return Optional.of(Connection.open(Optional.ofNullable(kubeconfig).map(env.workingDir()::resolve),
          Optional.ofNullable(context), env.variables(), timeout()));
    } catch (Connection.SetupException e) {
      env.err().println(command + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}

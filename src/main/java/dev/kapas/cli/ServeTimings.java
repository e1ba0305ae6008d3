package dev.kapas.cli;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** kapas serve's durations: how often it audits and checks its files, how long it lets requests finish. */
final class ServeTimings {
  @Option(names = "--audit-interval", paramLabel = "DURATION",
      description = "Scan the whole cached cluster this often (such as 10m), for /metrics and /. Default: never.")
  String auditInterval;

  @Option(names = "--reload-interval", paramLabel = "DURATION",
      description = "How often the certificate, key, config and rule files are checked for changes (default: 5s).")
  String reloadInterval = "5s";

  @Option(names = "--shutdown-grace", paramLabel = "DURATION",
      description = "How long requests in flight may take at shutdown (default: 10s).")
  String shutdownGrace = "10s";

  /** The durations given, read. */
  record Read(Optional<Duration> audit, Duration reload, Duration grace) {}

  /**
   * The durations, for a server that reads the cluster or not ({@code offline}).
   *
   * @throws IllegalArgumentException with the usage message when one is not a duration or does not apply
   */
  Read read(boolean offline) {
    Optional<Duration> audit = Optional.empty();
    if (auditInterval != null) {
      audit = Durations.parse(auditInterval).filter(d -> !d.isZero());
      if (audit.isEmpty()) {
        throw new IllegalArgumentException("--audit-interval: `" + auditInterval + "` is not a duration such as 10m or 1h");
      }
      if (offline) {
        throw new IllegalArgumentException("--audit-interval audits the cluster; --offline does not read it");
      }
    }
    Optional<Duration> reload = Durations.parse(reloadInterval).filter(d -> !d.isZero());
    Optional<Duration> grace = Durations.parse(shutdownGrace);
    if (reload.isEmpty() || grace.isEmpty()) {
      throw new IllegalArgumentException("--reload-interval and --shutdown-grace take durations such as 5s or 1m");
    }
    return new Read(audit, reload.get(), grace.get());
  }
}

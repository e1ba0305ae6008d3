package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kapas serve's usage errors: each says what is wrong, exit 2, and nothing listens. */
class ServeCommandTest {
  @TempDir
  Path tmp;

  @Test
  void withoutACertificateItSaysWhichOptionIsMissing() {
    CliRun run = CliRun.in(tmp, "serve", "--offline");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required options: '--tls-cert=FILE', '--tls-key=FILE'");
  }

  @Test
  void badModesSeveritiesAndAddressesAreUsageErrors() {
    assertThat(CliRun.in(tmp, "serve", "--offline", "--tls-cert", "c", "--tls-key", "k", "--default-mode", "block").err())
        .isEqualTo("kapas serve: --default-mode: `block` is not enforce, warn or audit\n");
    assertThat(CliRun.in(tmp, "serve", "--offline", "--tls-cert", "c", "--tls-key", "k", "--default-severity", "huge").err())
        .isEqualTo("kapas serve: --default-severity: `huge` is not critical, high, medium, low or info\n");
    assertThat(CliRun.in(tmp, "serve", "--offline", "--tls-cert", "c", "--tls-key", "k", "--listen", "8443").err())
        .isEqualTo("kapas serve: --listen: `8443` is not HOST:PORT (such as 0.0.0.0:8443 or 127.0.0.1:0)\n");
    assertThat(CliRun.in(tmp, "serve", "--offline", "--tls-cert", "c", "--tls-key", "k", "--warm-up", "-1").err())
        .isEqualTo("kapas serve: --warm-up: -1 is not a number of requests (0 or more)\n");
    CliRun audit = CliRun.in(tmp, "serve", "--offline", "--tls-cert", "c", "--tls-key", "k", "--audit-interval", "10m");
    assertThat(audit.exitCode()).isEqualTo(2);
    assertThat(audit.err()).isEqualTo("kapas serve: --audit-interval audits the cluster; --offline does not read it\n");
  }

  @Test
  void aKeyThatIsNotPemNamesTheFile() throws Exception {
    Files.writeString(tmp.resolve("cert.pem"), "not a certificate\n");
    Files.writeString(tmp.resolve("key.pem"), "not a key\n");
    CliRun run = CliRun.in(tmp, "serve", "--offline", "--listen", "127.0.0.1:0", "--tls-cert", "cert.pem",
        "--tls-key", "key.pem");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("kapas serve: " + tmp.resolve("cert.pem")
        + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it\n");
  }

  @Test
  void aBrokenConfigIsAUsageErrorWithItsLine() throws Exception {
    Files.writeString(tmp.resolve(".kapas.yaml"), "exceptions:\n  - rule: nope.rule\n");
    CliRun run = CliRun.in(tmp, "serve", "--offline", "--listen", "127.0.0.1:0", "--tls-cert", "c", "--tls-key", "k");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kapas serve: ").contains(".kapas.yaml").contains("2");
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code kapas probe}'s handling of its targets: bad ones and names that do not resolve are input
 * errors (exit 3) while the other targets are still probed; a plan over the cap is refused before
 * anything is sent. Only 127.0.0.1 is contacted.
 */
class ProbeCommandTest {

  @Test
  void badAndUnresolvableTargetsAreErrorsAndTheOthersAreStillProbed() throws Exception {
    // a real listener on 127.0.0.1 that never answers: open, nothing decisive
    try (ServerSocket open = new ServerSocket()) {
      open.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CliRun run = CliRun.run("probe", "10.0.0.300", "no-such-host.invalid", "127.0.0.1", "fd00::/129",
          "--ports", String.valueOf(open.getLocalPort()), "--nodeports", "none", "--timeout", "300ms", "-f", "json");
      assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
      assertThat(run.err()).isEqualTo("""
          error: 10.0.0.300: not an IPv4 address
          error: fd00::/129: the prefix length must be 0 to 128
          error: no-such-host.invalid: the host name does not resolve; not probed
          """);
      assertThat(run.out()).contains("1 host(s) x 1 port(s): 1 open");
    }
  }

  @Test
  void onlyBadTargetsIsStillAnInputErrorNotAUsageError() {
    CliRun run = CliRun.run("probe", "node_1", "--nodeports", "none");
    assertThat(run.exitCode()).isEqualTo(3);
    // the table on stdout lists the input errors itself
    assertThat(run.out()).contains("node_1: not a host name, IP address or CIDR block", "0 host(s) x 13 port(s): 0 open");
  }

  @Test
  void aPlanOverTheCapIsRefusedBeforeAnythingIsSent() {
    CliRun run = CliRun.run("probe", "10.0.0.0/8", "--nodeports", "none");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("kapas probe: 218,103,808 host:port pairs (10.0.0.0/8 x 13 ports) is more than "
        + "the cap of 65,536 connections; narrow the targets or --ports, or raise --max-connections\n");

    CliRun v6 = CliRun.run("probe", "fd00::/120", "--ports", "1-300", "--max-connections", "1000");
    assertThat(v6.exitCode()).isEqualTo(2);
    assertThat(v6.err()).startsWith("kapas probe: 76,800 host:port pairs (fd00::/120 x 300 ports) is more than the "
        + "cap of 1,000 connections");
  }
}

package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.model.Diagnostic;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a probe's targets stand for: CIDR blocks written out, bad targets named, the cap checked first. */
class TargetsTest {

  @Test
  void ipv4BlocksAreEveryAddressFromTheNetworkUp() throws Exception {
    assertThat(Targets.expand("10.0.0.0/30")).containsExactly("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3");
    // host bits in the base are cleared, as nmap does
    assertThat(Targets.expand("10.0.0.6/30")).containsExactly("10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7");
    assertThat(Targets.expand("192.168.1.255/32")).containsExactly("192.168.1.255");
    assertThat(Targets.expand("172.16.0.255/23")).hasSize(512).startsWith("172.16.0.0").endsWith("172.16.1.255");
    assertThat(Targets.count("10.0.0.0/8")).isEqualTo(BigInteger.valueOf(16_777_216));
    assertThat(Targets.count("0.0.0.0/0")).isEqualTo(BigInteger.ONE.shiftLeft(32));
  }

  @Test
  void ipv6BlocksAreWrittenOutInRfc5952Form() throws Exception {
    assertThat(Targets.expand("fd00::/126")).containsExactly("fd00::", "fd00::1", "fd00::2", "fd00::3");
    assertThat(Targets.expand("2001:DB8::1:0:0:ff/120")).hasSize(256)
        .startsWith("2001:db8:0:0:1::").endsWith("2001:db8::1:0:0:ff");
    assertThat(Targets.expand("::1/128")).containsExactly("::1");
    assertThat(Targets.expand("[::1]")).containsExactly("::1");
    assertThat(Targets.count("fd00::/64")).isEqualTo(BigInteger.ONE.shiftLeft(64));
    // the longest zero run is the one shortened; a single zero group stays
    assertThat(Targets.ipv6(bytes(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(Targets.ipv6(bytes(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(Targets.ipv6(bytes(1, 0, 0, 2, 0, 0, 0, 3))).isEqualTo("1:0:0:2::3");
    assertThat(Targets.ipv6(bytes(0, 0, 0, 0, 0, 0, 0, 0))).isEqualTo("::");
  }

  @Test
  void badTargetsSayWhatIsWrong() {
    assertThatThrownBy(() -> Targets.count("10.0.0.300")).hasMessage("not an IPv4 address");
    assertThatThrownBy(() -> Targets.count("10.0.0.300/24")).hasMessage("`10.0.0.300` is not an IPv4 address");
    assertThatThrownBy(() -> Targets.count("10.0.0.0/33")).hasMessage("the prefix length must be 0 to 32");
    assertThatThrownBy(() -> Targets.count("fd00::/129")).hasMessage("the prefix length must be 0 to 128");
    assertThatThrownBy(() -> Targets.count("fd00::/")).hasMessage("the prefix length must be 0 to 128");
    assertThatThrownBy(() -> Targets.count("node1.example.com/24"))
        .hasMessage("a CIDR block needs an IP address before the /, not `node1.example.com`");
    assertThatThrownBy(() -> Targets.count("node_1")).hasMessage("not a host name, IP address or CIDR block");
    assertThatThrownBy(() -> Targets.count("a..b")).hasMessage("not a host name, IP address or CIDR block");
    assertThatThrownBy(() -> Targets.count("fd00::zz")).hasMessage("not an IPv6 address");
  }

  @Test
  void theCapIsCheckedBeforeAnyAddressIsListed() throws Exception {
    List<Integer> thirteen = Ports.defaults();
    assertThatThrownBy(() -> ProbeSource.Plan.of(List.of("10.0.0.0/8"), thirteen, 65_536))
        .isInstanceOf(Targets.BadTarget.class)
        .hasMessage("218,103,808 host:port pairs (10.0.0.0/8 x 13 ports) is more than the cap of 65,536 "
            + "connections; narrow the targets or --ports, or raise --max-connections");
    // an IPv6 /64 would be 2^64 addresses: refused by counting, never expanded
    assertThatThrownBy(() -> ProbeSource.Plan.of(List.of("fd00::/64"), List.of(22), 65_536))
        .hasMessageStartingWith("18,446,744,073,709,551,616 host:port pairs (fd00::/64 x 1 ports)");
    // the cap counts every target together, and is inclusive
    List<Integer> ports256 = Ports.parse("30000-30255");
    assertThat(ProbeSource.Plan.of(List.of("10.0.0.0/24"), ports256, 65_536).connections()).isEqualTo(65_536);
    assertThatThrownBy(() -> ProbeSource.Plan.of(List.of("10.0.0.0/24", "10.0.1.1"), ports256, 65_536))
        .hasMessageStartingWith("65,792 host:port pairs (10.0.0.0/24 10.0.1.1 x 256 ports)");
  }

  @Test
  void badAndUnresolvableTargetsAreErrorsAndTheOthersStay() throws Exception {
    // .invalid never resolves (RFC 6761); localhost always does
    ProbeSource.Plan plan = ProbeSource.Plan.of(
        List.of("10.0.0.300", "no-such-host.invalid", "localhost", "127.0.0.1", "127.0.0.0/31", "[::1]"), List.of(22), 100);
    assertThat(plan.hosts()).containsExactly("localhost", "127.0.0.1", "127.0.0.0", "::1");
    assertThat(plan.addresses()).containsOnlyKeys("localhost");
    assertThat(plan.addresses().get("localhost").isLoopbackAddress()).isTrue();
    assertThat(plan.errors()).extracting(Diagnostic::display).containsExactly(
        "10.0.0.300: not an IPv4 address",
        "no-such-host.invalid: the host name does not resolve; not probed");
  }

  private static byte[] bytes(int... groups) {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (groups[i] >> 8);
      out[2 * i + 1] = (byte) groups[i];
    }
    return out;
  }
}

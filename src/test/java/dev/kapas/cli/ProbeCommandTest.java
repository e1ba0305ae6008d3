package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
      // the port facts themselves, beside the findings (additive: the scan contract is unchanged)
      JsonNode json = JsonMapper.builder().build().readTree(run.out());
      assertThat(json.get("probes")).hasSize(1);
      JsonNode p = json.get("probes").get(0);
      assertThat(p.get("host").stringValue()).isEqualTo("127.0.0.1");
      assertThat(p.get("port").intValue()).isEqualTo(open.getLocalPort());
      assertThat(p.get("state").stringValue()).isEqualTo("open");
      assertThat(p.get("tls").isBoolean()).isTrue();
      assertThat(p.get("tls").booleanValue()).isFalse();
      assertThat(p.get("component").stringValue()).isEqualTo("unknown service");
      assertThat(p.get("identifiedBy").stringValue()).isEqualTo("nothing decisive");
      assertThat(p.get("evidence").isArray()).isTrue();
      assertThat(p.get("evidence").get(0).stringValue())
          .isEqualTo("GET http://127.0.0.1:" + open.getLocalPort() + "/version -> no answer within 300 ms");
      assertThat(json.get("summary").get("objects").intValue()).isZero();
      assertThat(json.has("endpoints")).isFalse();

      CliRun table = CliRun.run("probe", "127.0.0.1", "--ports", String.valueOf(open.getLocalPort()),
          "--nodeports", "none", "--timeout", "300ms");
      assertThat(table.out().lines().findFirst()).get().asString().matches("kapas \\S+: 1 host x 1 port, \\d+ rules .*");
    }
  }

  @Test
  void anHttpUrlWhoseHostDoesNotResolveIsAnInputError() {
    CliRun run = CliRun.run("probe", "--http", "https://no-such-host.invalid/", "--http", "ftp://x/", "-f", "json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).isEqualTo("""
        error: https://no-such-host.invalid/: cannot connect to no-such-host.invalid:443: the host name does not resolve
        error: ftp://x/: --http takes http:// or https:// URLs with a host
        """);
  }

  @Test
  void onlyBadTargetsIsStillAnInputErrorNotAUsageError() {
    CliRun run = CliRun.run("probe", "node_1", "--nodeports", "none");
    assertThat(run.exitCode()).isEqualTo(3);
    // the table on stdout lists the input errors itself
    assertThat(run.out()).contains("node_1: not a host name, IP address or CIDR block", "0 host(s) x 13 port(s): 0 open");
  }

  @Test
  void rulesAndFrameworkSelectAsInScan() throws Exception {
    try (ServerSocket closed = new ServerSocket()) {
      closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String port = String.valueOf(closed.getLocalPort());
      closed.close();
      CliRun etcd = CliRun.run("probe", "127.0.0.1", "--ports", port, "--nodeports", "none", "--rules", "cloud.etcd-*",
          "-f", "json");
      assertThat(etcd.exitCode()).as(etcd.err()).isZero();
      assertThat(JsonMapper.builder().build().readTree(etcd.out()).get("summary").get("rules").intValue()).isEqualTo(2);
      CliRun nsa = CliRun.run("probe", "127.0.0.1", "--ports", port, "--nodeports", "none", "--framework", "nsa",
          "-f", "json");
      assertThat(nsa.exitCode()).as(nsa.err()).isZero();
      assertThat(JsonMapper.builder().build().readTree(nsa.out()).get("summary").get("framework").stringValue())
          .isEqualTo("nsa");
    }
    CliRun cluster = CliRun.run("probe", "127.0.0.1", "--rules", "cluster.*");
    assertThat(cluster.exitCode()).isEqualTo(2);
    assertThat(cluster.err()).isEqualTo("kapas probe: --rules: `cluster.*` matches no rule kapas probe runs\n");
    CliRun typo = CliRun.run("probe", "127.0.0.1", "--rules", "cloud.etcd-reachble");
    assertThat(typo.err()).isEqualTo(
        "kapas probe: --rules: `cloud.etcd-reachble` matches no rule; did you mean cloud.etcd-reachable?\n");
    CliRun fw = CliRun.run("probe", "127.0.0.1", "--framework", "pss");
    assertThat(fw.exitCode()).isEqualTo(2);
    assertThat(fw.err()).startsWith("kapas probe: --framework: `pss` is not one of 4c,");
  }

  @Test
  void nodePortsSampleTakesTheInventorysServicesAndNothingWithoutOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("svc.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: shop, namespace: shop}
        spec:
          type: NodePort
          ports: [{port: 80, nodePort: 30080}, {port: 443, nodePort: 30443}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          type: LoadBalancer
          ports: [{port: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: internal, namespace: shop}
        spec:
          ports: [{port: 5432}]
        """);
    String svc = dir.resolve("svc.yaml").toString();
    // --max-connections 1 refuses the plan before any packet, and its message shows the ports counted
    CliRun sample = CliRun.in(dir, "probe", "127.0.0.1", "--ports", "22", "--inventory", svc,
        "--max-connections", "1");
    assertThat(sample.err()).startsWith("kapas probe: 3 host:port pairs (127.0.0.1 x 3 ports)");
    CliRun none = CliRun.in(dir, "probe", "127.0.0.1", "--ports", "22", "--inventory", svc, "--nodeports", "none",
        "--max-connections", "1");
    assertThat(none.exitCode()).as(none.err()).isNotEqualTo(2);
    CliRun all = CliRun.in(dir, "probe", "127.0.0.1", "--ports", "22", "--nodeports", "all", "--max-connections", "1");
    assertThat(all.err()).startsWith("kapas probe: 2,769 host:port pairs (127.0.0.1 x 2769 ports)");
    CliRun noInventory = CliRun.in(dir, "probe", "127.0.0.1", "--ports", "22", "--max-connections", "1");
    assertThat(noInventory.exitCode()).as(noInventory.err()).isNotEqualTo(2);
    assertThat(noInventory.out()).contains("--nodeports sample: no --inventory, so no NodePorts");

    try (ServerSocket closed = new ServerSocket()) {
      closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String port = String.valueOf(closed.getLocalPort());
      closed.close();
      CliRun run = CliRun.in(dir, "probe", "127.0.0.1", "--ports", port, "--inventory", svc, "-f", "json",
          "--timeout", "300ms");
      JsonNode json = JsonMapper.builder().build().readTree(run.out());
      List<Integer> probed = new ArrayList<>();
      json.get("probes").forEach(p -> probed.add(p.get("port").intValue()));
      assertThat(probed).containsExactlyInAnyOrder(Integer.parseInt(port), 30080, 30443);
      assertThat(run.out()).contains("--nodeports sample: 2 NodePort(s) the inventory's Services fix; 1 NodePort or "
          + "LoadBalancer Service(s) leave it to the cluster (--nodeports all covers those)");
    }
  }

  @Test
  void aCacertFileWithoutACertificateIsAUsageError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("notes.pem"), "not a certificate\n");
    CliRun run = CliRun.in(dir, "probe", "127.0.0.1", "--cacert", "notes.pem");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("kapas probe: --cacert notes.pem: ").doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
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

package dev.kapas.source.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Location;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One flag model for manifests, processes and mirror pods, as the components' Go flag parsers read them. */
class FlagsTest {

  private static Flags parse(Component c, String... words) {
    return Flags.parse(c, Arrays.stream(words).map(w -> new Flags.Word(w, new Location("f", 1, 1, ""))).toList());
  }

  @Test
  void equalsAndSeparateValuesBothWork() {
    Flags f = parse(Component.APISERVER, "kube-apiserver", "--authorization-mode=Node,RBAC", "--audit-log-path", "/var/log/a.log");
    assertThat(f.value("authorization-mode")).isEqualTo("Node,RBAC");
    assertThat(f.value("audit-log-path")).isEqualTo("/var/log/a.log");
    assertThat(f.list("authorization-mode")).containsExactly("Node", "RBAC");
  }

  @Test
  void aBooleanFlagTakesNoSeparateValue() {
    Flags f = parse(Component.ETCD, "etcd", "--client-cert-auth", "false", "--name", "cp1");
    assertThat(f.isTrue("client-cert-auth")).isTrue();
    assertThat(f.value("name")).isEqualTo("cp1");
  }

  @Test
  void singleDashFlagsAsGoFlagAccepts() {
    Flags f = parse(Component.ETCD, "etcd", "-client-cert-auth=true", "-cert-file", "/etc/etcd/server.crt");
    assertThat(f.isTrue("client-cert-auth")).isTrue();
    assertThat(f.value("cert-file")).isEqualTo("/etc/etcd/server.crt");
  }

  @Test
  void lastOfARepeatedFlagWinsAndListsAccumulate() {
    Flags f = parse(Component.APISERVER, "--anonymous-auth=false", "--anonymous-auth=true",
        "--enable-admission-plugins=NamespaceLifecycle", "--enable-admission-plugins=NodeRestriction,,");
    assertThat(f.isTrue("anonymous-auth")).isTrue();
    assertThat(f.list("enable-admission-plugins")).containsExactly("NamespaceLifecycle", "NodeRestriction");
  }

  @Test
  void unsetFlagsTakeTheUpstreamDefaultWhereItMatters() {
    Flags f = parse(Component.APISERVER, "kube-apiserver");
    assertThat(f.isTrue("anonymous-auth")).isTrue();
    assertThat(f.list("authorization-mode")).isEqualTo(List.of("AlwaysAllow"));
    assertThat(f.isSet("anonymous-auth")).isFalse();
    assertThat(parse(Component.KUBELET).value("read-only-port")).isEqualTo("10255");
    assertThat(f.value("no-such-flag")).isEmpty();
  }

  @Test
  void goBooleanSpellings() {
    assertThat(parse(Component.APISERVER, "--profiling=1").isTrue("profiling")).isTrue();
    assertThat(parse(Component.APISERVER, "--profiling=True").isTrue("profiling")).isTrue();
    assertThat(parse(Component.APISERVER, "--profiling=0").isTrue("profiling")).isFalse();
  }

  @Test
  void cmdlineIsSplitOnNul() {
    assertThat(NodeSource.argv("kubelet\0--config=/a b\0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsExactly("kubelet", "--config=/a b");
  }
}

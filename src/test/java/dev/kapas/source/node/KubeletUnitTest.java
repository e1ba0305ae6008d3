package dev.kapas.source.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubelet's command line put together from its systemd unit files as systemd does. */
class KubeletUnitTest {
  private Path root;
  private final List<Diagnostic> errors = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createTempDirectory("kapas-unit");
  }

  @AfterEach
  void tearDown() throws IOException {
    NodeRoots.delete(root);
  }

  private void write(String path, String text) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private KubeletUnit unit() {
    return new KubeletUnit(p -> root.resolve(p.replaceFirst("^/+", "")), errors);
  }

  private static List<String> texts(KubeletUnit.CommandLine c) {
    return c.words().stream().map(Flags.Word::text).toList();
  }

  @Test
  void environmentFilesOverrideEnvironmentAndBracedVariablesStayOneWord() throws IOException {
    write("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", """
        [Service]
        Environment="KUBELET_EXTRA_ARGS=--read-only-port=10255" "ONE=--node-labels=a=b c"
        Environment=KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml
        EnvironmentFile=-/etc/default/kubelet
        EnvironmentFile=-/etc/no/such/file
        ExecStart=/usr/bin/kubelet --v=1
        ExecStart=
        ExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS \\
          ${ONE} $KUBELET_EXTRA_ARGS $UNSET
        """);
    write("etc/default/kubelet", "# overrides\nKUBELET_EXTRA_ARGS='--read-only-port=0 --v=2' # why\n");
    KubeletUnit.CommandLine c = unit().read().orElseThrow();
    assertThat(texts(c)).containsExactly("/usr/bin/kubelet", "--config=/var/lib/kubelet/config.yaml",
        "--node-labels=a=b c", "--read-only-port=0", "--v=2");
    assertThat(c.files()).containsExactly("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "/etc/default/kubelet");
    assertThat(c.words().get(3).at().file()).isEqualTo(root.resolve("etc/default/kubelet").toString());
    assertThat(c.words().get(3).at().line()).isEqualTo(2);
    assertThat(c.words().get(1).at().line()).isEqualTo(3);
    assertThat(c.anchor().line()).isEqualTo(8);
    Flags flags = Flags.parse(Component.KUBELET, c.words());
    assertThat(flags.value("read-only-port")).isEqualTo("0");
  }

  @Test
  void theDropInUnderEtcWinsOverTheOneUnderUsrLib() throws IOException {
    write("usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --a=usr\n");
    write("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --a=etc\n");
    assertThat(texts(unit().read().orElseThrow())).containsExactly("/usr/bin/kubelet", "--a=etc");
  }

  @Test
  void withoutTheDropInKubeadmsFlagsFileIsReadWithKubeadmsExecStart() throws IOException {
    assertThat(unit().read()).isEmpty();
    write("var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--pod-manifest-path=/etc/k/m\"\n");
    write("etc/sysconfig/kubelet", "KUBELET_EXTRA_ARGS=--anonymous-auth=true\n");
    KubeletUnit.CommandLine c = unit().read().orElseThrow();
    assertThat(texts(c)).containsExactly("/usr/bin/kubelet", "--pod-manifest-path=/etc/k/m", "--anonymous-auth=true");
    assertThat(c.anchor().file()).isEqualTo(root.resolve("var/lib/kubelet/kubeadm-flags.env").toString());
  }

  @Test
  void anUnreadableEnvironmentFileIsAnInputErrorAndTheRestIsStillRead() throws IOException {
    write("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", """
        [Service]
        Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
        EnvironmentFile=-/etc/default/kubelet
        ExecStart=
        ExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS $KUBELET_EXTRA_ARGS
        """);
    Files.createDirectories(root.resolve("etc/default/kubelet"));
    assertThat(texts(unit().read().orElseThrow())).containsExactly("/usr/bin/kubelet", "--config=/var/lib/kubelet/config.yaml");
    assertThat(errors).extracting(Diagnostic::display).singleElement().asString()
        .contains(root.resolve("etc/default/kubelet") + "").contains("cannot read: is a directory");
  }
}

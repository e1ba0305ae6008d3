package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.kapas.source.node.NodeRoots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kapas node} on node roots written in temp dirs from the kubeadm v1.30-style templates under
 * src/test/resources/node/ (a control-plane node, a worker, a k3s server).
 */
class NodeCommandTest {
  private static final Path TEMPLATES = Path.of("src/test/resources/node");
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createTempDirectory("kapas-node");
  }

  @AfterEach
  void tearDown() throws IOException {
    NodeRoots.delete(root);
  }

  private Path node(String template) throws IOException {
    NodeRoots.materialize(TEMPLATES.resolve(template), root);
    return root;
  }

  private static CliRun kapas(String... args) {
    return CliRun.run(args);
  }

  @Test
  void controlPlaneNodeFindingsPointAtFileAndLine() throws IOException {
    Path r = node("kubeadm-control-plane");
    CliRun run = kapas("node", "--root", r.toString(), "--fail-on", "medium");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("cluster.encryption-local-key")
        .contains(r + "/etc/kubernetes/encryption-config.yaml:8")
        .contains("secrets are encrypted with aescbc")
        .contains("cluster.kubelet-hardening")
        .contains(r + "/var/lib/kubelet/config.yaml:1")
        .contains("protectKernelDefaults is false")
        .contains("cloud.etcd-disk-unencrypted")
        .contains(r + "/proc/mounts:1")
        .contains("kube-apiserver runs from its static pod manifest; its flags are checked there")
        .doesNotContain("cluster.apiserver-anonymous-auth  ")
        .doesNotContain("not on this node");
    if (NodeRoots.canChown()) {
      assertThat(run.out()).doesNotContain("cluster.node-file-permissions  ");
    }
  }

  @Test
  void theHtmlReportOfANodeListsItsFindingsAndTheCisControls() throws IOException {
    Path r = node("kubeadm-control-plane");
    CliRun run = kapas("node", "--root", r.toString(), "--framework", "cis", "--fail-on", "medium", "-f", "html");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).startsWith("<!DOCTYPE html>")
        .contains("data-rule=\"cluster.encryption-local-key\"")
        .contains("<code>" + r + "/etc/kubernetes/encryption-config.yaml:8</code>")
        .contains("<section id=\"controls\">")
        .containsPattern("<tr><td>1\\.2\\.[0-9]+</td><td class=\"s-fail\">fail</td>");
  }

  @Test
  void workerNodeSaysControlPlaneChecksAreNotApplicable() throws IOException {
    Path r = node("kubeadm-worker");
    CliRun run = kapas("node", "--root", r.toString(), "-f", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("kube-apiserver: not on this node (no static pod manifest, no process); its checks are not applicable")
        .contains("etcd: not on this node")
        .contains("not applicable, nothing on this node for them to check: ")
        .contains("cluster.apiserver-anonymous-auth");
    CliRun table = kapas("node", "--root", r.toString());
    assertThat(table.out()).contains("facts").doesNotContain("Input errors");
  }

  @Test
  void noKubernetesIsSaidPlainlyAndExitsZero() {
    CliRun run = kapas("node", "--root", root.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("kapas node: no Kubernetes found under " + root);
  }

  @Test
  void k3sIsOutOfScopeAndSaysSo() throws IOException {
    Path r = node("k3s-server");
    CliRun run = kapas("node", "--root", r.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("k3s (process 611): single-binary Kubernetes distributions are out of scope");
  }

  @Test
  void malformedManifestIsAnInputErrorAndTheRestIsStillAudited() throws IOException {
    Path r = node("kubeadm-control-plane");
    Path scheduler = r.resolve("etc/kubernetes/manifests/kube-scheduler.yaml");
    Files.writeString(scheduler, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-scheduler\nspec:\n  containers: [\n",
        StandardCharsets.UTF_8);
    CliRun run = kapas("node", "--root", r.toString(), "--fail-on", "medium");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("Input errors").contains(scheduler + ":")
        .contains("cluster.encryption-local-key").contains("cluster.kubelet-hardening");
    assertThat(run.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unreadableKubeletConfigIsAnInputErrorAndTheRestIsStillAudited() throws IOException {
    Path r = node("kubeadm-control-plane");
    Path config = r.resolve("var/lib/kubelet/config.yaml");
    Files.delete(config);
    Files.createDirectory(config);
    CliRun run = kapas("node", "--root", r.toString(), "--fail-on", "medium", "-f", "json", "-o", r.resolve("out.json").toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("error: " + config + ": cannot read: is a directory");
    JsonNode json = JsonMapper.builder().build().readTree(r.resolve("out.json").toFile());
    List<String> rules = new ArrayList<>();
    json.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
    assertThat(rules).contains("cluster.encryption-local-key", "cloud.etcd-disk-unencrypted");
  }

  @Test
  void extraManifestDirectoryIsRead() throws IOException {
    Path extra = Files.createDirectories(root.resolve("elsewhere"));
    Files.copy(Path.of("src/test/resources/rules/cluster.apiserver-anonymous-auth/fail-explicit/etc/kubernetes/manifests/kube-apiserver.yaml"),
        extra.resolve("kube-apiserver.yaml"));
    CliRun run = kapas("node", "--root", root.resolve("empty-root").toString(), "--manifests", extra.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    Files.createDirectories(root.resolve("empty-root"));
    run = kapas("node", "--root", root.resolve("empty-root").toString(), "--manifests", extra.toString());
    // the files its flags name are not under this root: input errors at the flags, the rest is audited
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("cluster.apiserver-anonymous-auth").contains(extra.resolve("kube-apiserver.yaml") + ":15")
        .contains(extra.resolve("kube-apiserver.yaml") + ":25:7: --encryption-provider-config names "
            + "/etc/kubernetes/encryption-config.yaml, which is not at " + root.resolve("empty-root/etc/kubernetes/encryption-config.yaml"));
  }

  @Test
  void mirrorPodsInAScanFeedTheSameFlagRules() {
    CliRun run = kapas("scan", "src/test/resources/rules/cluster.apiserver-anonymous-auth/fail-mirror-pod.yaml",
        "--rules", "cluster.apiserver-*");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("cluster.apiserver-anonymous-auth")
        .contains("kube-apiserver (mirror pod kube-system/kube-apiserver-cp1) sets `--anonymous-auth=true`")
        .contains("fail-mirror-pod.yaml:16");
  }

  /** The flag findings are about the Component; the mirror pod's kapas.dev/ignore applies to them. */
  @Test
  void ignoreAnnotationOnAMirrorPodSuppressesItsFlagFindings() throws IOException {
    String pod = Files.readString(Path.of("src/test/resources/rules/cluster.apiserver-anonymous-auth/fail-mirror-pod.yaml"));
    String annotated = pod.replace("  name: kube-apiserver-cp1\n", "  name: kube-apiserver-cp1\n  annotations:\n"
        + "    kapas.dev/ignore: \"cluster.apiserver-anonymous-auth: lab cluster, API server not reachable\"\n");
    assertThat(annotated).isNotEqualTo(pod);
    Path file = root.resolve("kube-apiserver-cp1.yaml");
    Files.writeString(file, annotated);
    CliRun run = kapas("scan", file.toString(), "--rules", "cluster.apiserver-*", "-f", "json");
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).contains("\"status\" : \"suppressed\"").contains("lab cluster, API server not reachable")
        .contains("cluster.apiserver-anonymous-auth");
    // the annotation names one rule: another flag finding of the same pod is still reported
    Files.writeString(file, annotated.replace("    - --profiling=false\n", "    - --profiling=true\n"));
    CliRun other = kapas("scan", file.toString(), "--rules", "cluster.apiserver-*");
    assertThat(other.out()).contains("cluster.apiserver-profiling").contains("sets `--profiling=true`")
        .contains("(1 suppressed)");
  }

  @Test
  void cisTableListsEverySectionWithPassFailNotApplicableAndManual() throws IOException {
    Path r = node("kubeadm-worker");
    CliRun run = kapas("node", "--root", r.toString(), "--framework", "cis");
    assertThat(run.out())
        .contains("CIS Kubernetes Benchmark v1.10.0: score ")
        .contains("  1.2 API Server\n")
        .containsPattern("\\n    1\\.2\\.1 +N/A +--anonymous-auth is false  \\[cluster\\.apiserver-anonymous-auth: no kube-apiserver found\\]")
        .containsPattern("\\n    1\\.2\\.9 +MANUAL +EventRateLimit admission plugin is enabled  \\[manual in the benchmark: check by hand\\]")
        .containsPattern("\\n    4\\.2\\.1 +PASS +anonymous authentication is off  \\[cluster\\.kubelet-anonymous-auth \\(0/1 failed\\)\\]")
        .containsPattern("\\n    4\\.1\\.5 +PASS +kubelet\\.conf permissions")
        .containsPattern("\\n    1\\.1\\.1 +N/A ");
    assertThat(run.out().lines().filter(l -> l.matches("    \\d(\\.\\d+)+ .*")).count())
        .as("every recommendation of sections 1-4 is listed").isEqualTo(95);
  }

  @Test
  void cisControlsPointAtTheFileTheyConcern() throws IOException {
    Path r = node("kubeadm-control-plane");
    Files.setPosixFilePermissions(r.resolve("etc/kubernetes/admin.conf"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    CliRun run = kapas("node", "--root", r.toString(), "--framework", "cis", "-f", "json");
    JsonNode controls = JsonMapper.builder().build().readTree(run.out()).get("summary").get("controls");
    java.util.Map<String, String> status = new java.util.HashMap<>();
    controls.forEach(c -> status.put(c.get("id").asText(), c.get("status").asText()));
    assertThat(status).containsEntry("1.1.13", "fail").containsEntry("1.1.14", "pass").containsEntry("1.1.1", "pass")
        .containsEntry("1.2.28", "fail").containsEntry("1.2.1", "pass").containsEntry("1.2.9", "manual")
        .containsEntry("4.2.10", "pass").containsEntry("4.2.6", "pass");
    JsonNode manual = null;
    for (JsonNode c : controls) {
      if (c.get("id").asText().equals("1.2.9")) {
        manual = c;
      }
    }
    assertThat(manual.get("title").asText()).isEqualTo("EventRateLimit admission plugin is enabled");
    assertThat(manual.get("reason").asText()).isEqualTo("manual in the benchmark: check by hand");
  }

  /** A real process: its command line comes from the kernel's /proc, NUL-separated. */
  @Test
  void aRunningProcessIsReadFromProc() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "exec -a /usr/local/bin/kube-apiserver sleep 60").start();
    try {
      Path cmdline = Path.of("/proc/" + p.pid() + "/cmdline");
      for (int i = 0; i < 100 && !Files.readString(cmdline).startsWith("/usr/local/bin/kube-apiserver"); i++) {
        Thread.sleep(50);
      }
      // only this process under the root, so other processes on the machine do not count
      Files.createDirectories(root.resolve("proc"));
      Files.createSymbolicLink(root.resolve("proc/" + p.pid()), Path.of("/proc/" + p.pid()));
      CliRun run = kapas("node", "--root", root.toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.out())
          .contains("kube-apiserver (process " + p.pid() + ") does not set --anonymous-auth (default: true)")
          .contains(root.resolve("proc/" + p.pid() + "/cmdline") + "\n"); // a process has no line: no `:0`
    } finally {
      p.destroy();
    }
  }

  @Test
  void aKubeletConfigFileThatIsNotThereIsAnInputError() throws IOException {
    Path r = node("kubeadm-worker");
    Files.delete(r.resolve("var/lib/kubelet/config.yaml"));
    CliRun run = kapas("node", "--root", r.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains(r.resolve("proc/1042/cmdline") + ": the kubelet's --config names /var/lib/kubelet/config.yaml, "
        + "which is not at " + r.resolve("var/lib/kubelet/config.yaml"))
        .contains("cluster.kubelet-anonymous-auth").contains("anonymous authentication is enabled (--anonymous-auth not set");
  }

  /** A copied worker's filesystem, no kubelet running: its flags are those its systemd unit would start it with. */
  @Test
  void withoutAKubeletProcessItsFlagsComeFromTheSystemdUnit() throws IOException {
    Path r = node("kubeadm-worker-offline");
    CliRun run = kapas("node", "--root", r.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("kubelet: no kubelet process under the root; its flags are those systemd would start it with, read from "
            + "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf, /var/lib/kubelet/kubeadm-flags.env, /etc/default/kubelet")
        .contains("cluster.kubelet-anonymous-auth")
        .contains("Kubelet/kubelet (systemd unit)")
        // KUBELET_EXTRA_ARGS wins over the config file's authentication.anonymous.enabled: false
        .contains(r.resolve("etc/default/kubelet") + ":1")
        .doesNotContain("Input errors");
  }

  @Test
  void aRunningKubeletWinsOverItsSystemdUnit() throws IOException {
    Path r = node("kubeadm-worker-offline");
    Files.createDirectories(r.resolve("proc/1042"));
    Files.writeString(r.resolve("proc/1042/cmdline"), String.join("\0", "/usr/bin/kubelet",
        "--kubeconfig=/etc/kubernetes/kubelet.conf", "--config=/var/lib/kubelet/config.yaml") + "\0");
    CliRun run = kapas("node", "--root", r.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain("cluster.kubelet-anonymous-auth").doesNotContain("systemd would start it");
  }
}

package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfig side of {@code --from-cluster} without a cluster: which file is read, and the
 * kubeconfigs it refuses before anything is sent (the API server side is ApiServerProbeIT).
 */
class ClusterTargetsTest {
  @TempDir
  Path dir;

  @Test
  void theKubeconfigIsTheOptionElseKubeconfigVariableElseHome() {
    Path home = Path.of("/home/u");
    assertThat(ClusterTargets.kubeconfig(Optional.of(Path.of("k.yaml")), Map.of("KUBECONFIG", "/x"), home))
        .isEqualTo(Path.of("k.yaml"));
    assertThat(ClusterTargets.kubeconfig(Optional.empty(), Map.of("KUBECONFIG", "/a/one:/a/two"), home))
        .isEqualTo(Path.of("/a/one"));
    assertThat(ClusterTargets.kubeconfig(Optional.empty(), Map.of(), home)).isEqualTo(Path.of("/home/u/.kube/config"));
  }

  private Path kubeconfig(String cluster, String user) throws Exception {
    Path file = dir.resolve("config");
    Files.writeString(file, "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        + "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
        + "clusters: [{name: k, cluster: " + cluster + "}]\n"
        + "users: [{name: u, user: " + user + "}]\n");
    return file;
  }

  @Test
  void kubeconfigsThatCannotBeUsedAreRefusedBeforeAnythingIsSent() throws Exception {
    // 192.0.2.1 (TEST-NET-1) is never contacted: each is refused while the kubeconfig is read
    Path exec = kubeconfig("{server: 'https://192.0.2.1:6443'}", "{exec: {command: aws, args: [eks, get-token]}}");
    assertThatThrownBy(() -> ClusterTargets.read(exec, "", Duration.ofSeconds(1)))
        .hasMessage(exec + ": user u authenticates through an exec plugin or auth provider, which kapas does not run; "
            + "use a context with a token or a client certificate");
    Path insecure = kubeconfig("{server: 'https://192.0.2.1:6443', insecure-skip-tls-verify: true}", "{token: s3cr3t}");
    assertThatThrownBy(() -> ClusterTargets.read(insecure, "", Duration.ofSeconds(1)))
        .hasMessageStartingWith(insecure + ": the cluster sets insecure-skip-tls-verify").hasMessageNotContaining("s3cr3t");
    Path noServer = kubeconfig("{certificate-authority: ca.crt}", "{token: s3cr3t}");
    assertThatThrownBy(() -> ClusterTargets.read(noServer, "", Duration.ofSeconds(1)))
        .hasMessage(noServer + ": cluster k has no usable server URL");
    assertThatThrownBy(() -> ClusterTargets.read(dir.resolve("missing"), "", Duration.ofSeconds(1)))
        .hasMessage(dir.resolve("missing") + ": cannot read the kubeconfig (NoSuchFileException)");
  }

  @Test
  void aBadKubeconfigIsAnInputErrorAndTheNamedTargetsAreStillProbed() throws Exception {
    Path bad = kubeconfig("{server: 'https://192.0.2.1:6443', certificate-authority: missing-ca.crt}", "{token: s3cr3t}");
    CliRun run = CliRun.run("probe", "127.0.0.1", "--ports", "1", "--from-cluster", "--kubeconfig", bad.toString(),
        "-f", "json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).isEqualTo("error: --from-cluster: " + bad + ": certificate-authority missing-ca.crt cannot be "
        + "read\n");
    assertThat(run.out()).contains("1 host(s) x 1 port(s)").doesNotContain("s3cr3t");
  }

  @Test
  void pkcs1RsaKeysAreWrappedAsPkcs8() throws Exception {
    byte[] pkcs8 = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
    // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier (15 bytes), OCTET STRING { RSAPrivateKey } }
    int at = headerLength(pkcs8, 0) + 3 + 15;
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, at + headerLength(pkcs8, at), pkcs8.length);
    assertThat(ClusterTargets.pkcs1ToPkcs8(pkcs1)).isEqualTo(pkcs8);
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }
}

package dev.kapas.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --from-cluster} without a cluster: a kubeconfig that cannot be used is an input error,
 * and the targets named are still probed (the API server side is in ApiServerProbeIT).
 */
class ClusterTargetsTest {
  @TempDir
  Path dir;

  @Test
  void aMissingKubeconfigIsAnInputErrorAndTheNamedTargetsAreStillProbed() {
    Path missing = dir.resolve("no-such-config");
    CliRun run = CliRun.run("probe", "127.0.0.1", "--ports", "1", "--from-cluster", "--kubeconfig", missing.toString(),
        "-f", "json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).isEqualTo("error: --from-cluster: kubeconfig " + missing + ": no such file\n");
    assertThat(run.out()).contains("1 host(s) x 1 port(s)");
  }

  @Test
  void anUnknownContextIsAnInputErrorAndNoSecretIsPrinted() throws Exception {
    Path config = dir.resolve("config");
    // 192.0.2.1 (TEST-NET-1) is never contacted: the context is missing before any request
    Files.writeString(config, "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        + "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
        + "clusters: [{name: k, cluster: {server: 'https://192.0.2.1:6443'}}]\n"
        + "users: [{name: u, user: {token: s3cr3t-t0ken}}]\n");
    CliRun run = CliRun.run("probe", "--from-cluster", "--kubeconfig", config.toString(), "--context", "prod");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("--from-cluster: kubeconfig " + config + " has no context `prod`")
        .doesNotContain("s3cr3t");
    assertThat(run.err()).doesNotContain("s3cr3t");
  }
}

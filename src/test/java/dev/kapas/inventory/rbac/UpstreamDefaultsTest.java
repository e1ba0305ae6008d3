package dev.kapas.inventory.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The digest a scan reads says what the YAML data files say. */
class UpstreamDefaultsTest {
  @Test
  void theDigestInTheJarMatchesTheYamlDataFiles() throws IOException {
    String fromYaml = UpstreamDefaults.digest();
    String bundled;
    try (InputStream in = UpstreamDefaults.class.getResourceAsStream("/dev/kapas/rbac/" + UpstreamDefaults.DIGEST)) {
      bundled = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path fresh = Path.of("target", UpstreamDefaults.DIGEST);
    Files.writeString(fresh, fromYaml);
    assertThat(bundled).as("src/main/resources/dev/kapas/rbac/" + UpstreamDefaults.DIGEST
        + " is stale: copy " + fresh.toAbsolutePath() + " over it").isEqualTo(fromYaml);
    // every default of the YAML files is in it: the bootstrap policy's roles and bindings and kubeadm's
    assertThat(fromYaml.lines().count()).isGreaterThan(50);
    assertThat(fromYaml).contains("cluster-admin\trules [").contains("kubeadm:");
  }
}

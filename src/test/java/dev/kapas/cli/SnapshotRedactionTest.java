package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.RuleCatalog;
import dev.kapas.source.Progress;
import dev.kapas.source.cluster.Snapshot;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas cluster --save}: what the secret detector flags is withheld from the snapshot, and
 * a re-scan of the snapshot still reports it. The objects come from a real YAML file here instead
 * of an API server (ClusterScanIT covers the live read); the redaction and the snapshot writer are
 * the ones the command uses.
 */
class SnapshotRedactionTest {
  private static final String AWS_KEY = "AKIAQWERTYUIOPASDFGH";
  private static final String TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  private static final String PASSWORD = "Xq9#vL2$mN8@pR4!tZ6&";

  @Test
  void credentialsAreRedactedAndStillReported(@TempDir Path dir) throws IOException {
    Path yaml = Files.writeString(dir.resolve("live.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
          namespace: shop
          annotations: {deploy-token: "%2$s"}
        data:
          AWS_ACCESS_KEY_ID: "%1$s"
          LOG_LEVEL: info
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app, namespace: shop}
        spec:
          containers:
          - name: app
            image: registry.example.com/app:1.0
            args: ["--token=%2$s"]
            env:
            - {name: DB_PASSWORD, value: "%3$s"}
            - {name: MODE, value: production}
        """.formatted(AWS_KEY, TOKEN, PASSWORD));
    var objects = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(yaml.toString()), Progress.NONE).objects();

    Path redacted = dir.resolve("snapshot.json");
    Snapshot.write(objects, redacted, ClusterCommand.credentialRedactions(objects, RuleCatalog.builtIn()));
    String saved = Files.readString(redacted);
    assertThat(saved).doesNotContain(AWS_KEY).doesNotContain(TOKEN).doesNotContain(PASSWORD)
        .contains("\"LOG_LEVEL\":\"info\"", "\"value\":\"production\"", "kapas-redacted: ");

    CliRun live = CliRun.run("scan", yaml.toString(), "--rules", "code.hardcoded-secret", "-f", "json");
    CliRun again = CliRun.run("scan", redacted.toString(), "--rules", "code.hardcoded-secret", "-f", "json");
    assertThat(again.out()).doesNotContain(AWS_KEY).doesNotContain(TOKEN).doesNotContain(PASSWORD);
    for (String path : List.of("data.AWS_ACCESS_KEY_ID", "metadata.annotations.deploy-token",
        "spec.containers[0].args[0]", "spec.containers[0].env[0].value")) {
      assertThat(live.out()).contains("\"path\" : \"" + path + "\"");
      assertThat(again.out()).contains("\"path\" : \"" + path + "\"");
    }
    assertThat(again.out()).contains("credential withheld from a kapas snapshot");

    Path raw = dir.resolve("raw.json");
    Snapshot.write(objects, raw, Map.of());
    assertThat(Files.readString(raw)).contains(AWS_KEY, TOKEN, PASSWORD);
  }

  @Test
  void saveUnredactedWithoutSaveIsAUsageError() {
    CliRun run = CliRun.run("cluster", "--save-unredacted");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--save-unredacted says how to write --save FILE");
  }
}

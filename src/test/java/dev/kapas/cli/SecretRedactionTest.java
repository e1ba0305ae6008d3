package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets that kapas finds are never printed: not in the table, JSON, SARIF, JUnit or HTML report, not
 * on stderr. Every fake secret below is found (the test checks the findings exist) and no report
 * holds the value, nor any ten characters of it.
 */
class SecretRedactionTest {
  // Fake, in real formats. Each is what must not appear; a URL's password stands for the URL.
  private static final List<String> SECRETS = List.of(
      "AKIAIOSFODNN7EXAMPLE",
      "ghp_FAKE0EXAMPLE0FAKE0EXAMPLE0FAKE0EXAMP",
      "sk_live_FAKEexample0FAKEexample0",
      "AIzaSyFAKE-EXAMPLE_SyFAKE-EXAMPLE_SyFAK",
      "xoxb-000000000000-FAKEexampleFAKEexampleFA",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJleGFtcGxlIn0.FAKEsignatureEXAMPLEonly000",
      "FakeRabbitPassw0rd",
      "Fake-Exampl3-Passw0rd!",
      "Fk7#Example9Tok3n2Q",
      "MIIEowIBAAKCAQEAFAKEKEYEXAMPLEONLYFAKEKEYEXAMPLEONLY",
      "FakeSecretDataValue9",
      "Fake-Last-Applied-Passw0rd");

  @TempDir
  Path dir;

  @Test
  void noReportFormatPrintsASecretValue() throws IOException {
    Path manifest = dir.resolve("app.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          annotations:
            example.com/api-token: "Fk7#Example9Tok3n2Q"
            kubectl.kubernetes.io/last-applied-configuration: |
              {"kind":"Deployment","spec":{"password":"Fake-Last-Applied-Passw0rd"}}
        spec:
          template:
            metadata:
              annotations:
                example.com/session: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJleGFtcGxlIn0.FAKEsignatureEXAMPLEonly000
            spec:
              containers:
              - name: app
                image: shop:1.0
                args: ["--token=ghp_FAKE0EXAMPLE0FAKE0EXAMPLE0FAKE0EXAMP"]
                env:
                - {name: AWS_ACCESS_KEY_ID, value: AKIAIOSFODNN7EXAMPLE}
                - {name: STRIPE_KEY, value: sk_live_FAKEexample0FAKEexample0}
                - {name: AMQP_URL, value: "amqp://shop:FakeRabbitPassw0rd@mq:5672/"}
                - {name: DB_PASSWORD, value: "Fake-Exampl3-Passw0rd!"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data:
          MAPS_KEY: AIzaSyFAKE-EXAMPLE_SyFAKE-EXAMPLE_SyFAK
          app.properties: |
            slack.token=xoxb-000000000000-FAKEexampleFAKEexampleFA
          key.pem: |
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEAFAKEKEYEXAMPLEONLYFAKEKEYEXAMPLEONLY
            -----END RSA PRIVATE KEY-----
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data:
          password: %s
        stringData:
          token: FakeSecretDataValue9
        """.formatted(Base64.getEncoder().encodeToString("FakeSecretDataValue9".getBytes(StandardCharsets.UTF_8))));
    CliRun run = CliRun.in(dir, "scan", manifest.toString(), "--rules", "code.*", "--no-color",
        "-f", "table", "-f", "json", "-o", file("r.json"), "-f", "sarif", "-o", file("r.sarif"),
        "-f", "junit", "-o", file("r.xml"), "-f", "html", "-o", file("r.html"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    String json = read("r.json");
    assertThat(json.split("\"code.hardcoded-secret\"", -1)).as("hard-coded secret findings").hasSize(11 + 1);
    assertThat(json).contains("\"code.secret-manifest-committed\"");
    assertThat(read("r.html").split("data-rule=\"code.hardcoded-secret\"", -1)).as("html rows").hasSize(11 + 1);
    for (String report : List.of(run.all(), json, read("r.sarif"), read("r.xml"), read("r.html"))) {
      for (String secret : SECRETS) {
        assertThat(report).doesNotContain(secret);
        for (int i = 0; i + 10 <= secret.length(); i++) {
          assertThat(report).as("a piece of %s", secret).doesNotContain(secret.substring(i, i + 10));
        }
      }
      assertThat(report).doesNotContain(Base64.getEncoder().encodeToString(
          "FakeSecretDataValue9".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void secretsFromStandardInputAreNotCalledCommittedButTheirNeighboursStillAreChecked() throws IOException {
    String cluster = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Secret
          metadata: {name: db, namespace: shop, uid: 0f0e0d0c-0000-4000-8000-000000000000}
          data: {password: RmFrZVNlY3JldERhdGFWYWx1ZTk=}
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings, namespace: shop}
          data: {AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE}
        """;
    CliRun run = CliRun.withStdin(dir, cluster, "scan", "-", "--rules", "code.*", "-f", "json");
    assertThat(run.out()).doesNotContain("\"ruleId\" : \"code.secret-manifest-committed\"")
        .contains("\"ruleId\" : \"code.hardcoded-secret\"").doesNotContain("AKIAIOSFODNN7EXAMPLE");

    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, cluster);
    assertThat(CliRun.in(dir, "scan", file.toString(), "--rules", "code.*", "-f", "json").out())
        .contains("\"ruleId\" : \"code.secret-manifest-committed\"");
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }
}

package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.serve.Tls;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * kapas serve with the user's own CEL rules (--rules-dir and the config's customRules), run as
 * the command runs, offline on a free port of 127.0.0.1 with a real certificate: AdmissionReviews
 * posted over HTTPS are judged by them, and a changed rule file or config is reloaded, a broken
 * one logged while the previous rules stay in use.
 */
class ServeCustomRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},
       "spec":{"containers":[{"name":"c","image":"nginx:latest"}]}}""";
  private static final String TEAM_LABEL = """
      - id: custom.team-label
        title: Pods name their team
        severity: high
        match: {kinds: [Pod]}
        validations:
          - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
            message: the pod has no `team` label
      """;
  private static final String NO_LATEST = """
      customRules:
        - id: custom.no-latest
          title: Images are pinned
          severity: critical
          match: {kinds: [Pod]}
          validations:
            - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
              messageExpression: "'runs ' + object.spec.containers[0].image"
      """;

  @TempDir
  Path tmp;
  private final StringWriter err = new StringWriter();
  private ServeCommand serve;
  private Thread running;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.stop.countDown();
      running.join(10_000);
    }
  }

  private void start(String... extra) throws Exception {
    Tls.selfSigned(tmp.resolve("tls.crt"), tmp.resolve("tls.key"), "kapas", "ec");
    Env env = new Env(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), tmp, CliRun.TODAY, false, Map.of());
    serve = new ServeCommand(env);
    List<String> args = new ArrayList<>(List.of("--offline", "--listen", "127.0.0.1:0", "--tls-cert", "tls.crt",
        "--tls-key", "tls.key", "--reload-interval", "20ms", "--default-severity", "high"));
    args.addAll(List.of(extra));
    running = new Thread(() -> new CommandLine(serve).execute(args.toArray(String[]::new)));
    running.start();
    for (int i = 0; i < 400 && serve.server == null && running.isAlive(); i++) {
      Thread.sleep(25);
    }
    assertThat(serve.server).as(err.toString()).isNotNull();
  }

  /** The message the webhook denies {@link #POD} with ("" when allowed). */
  private String denial() throws Exception {
    String review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1",
         "kind":{"group":"","version":"v1","kind":"Pod"},"namespace":"shop","operation":"CREATE","object":%s}}"""
        .formatted(POD);
    HttpResponse<String> r = Tls.client(tmp.resolve("tls.crt")).send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + serve.server.port() + "/validate"))
        .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode response = JSON.readTree(r.body()).path("response");
    return response.path("allowed").asBoolean() ? "" : response.path("status").path("message").asText();
  }

  /** Polls the webhook until its denial passes {@code wanted} (reloads take a few reload intervals). */
  private String denialOnceReloaded(Predicate<String> wanted) throws Exception {
    String last = denial();
    for (int i = 0; i < 200 && !wanted.test(last); i++) {
      Thread.sleep(25);
      last = denial();
    }
    return last;
  }

  @Test
  void rulesOfTheRulesDirAndOfTheConfigJudgeTheObject() throws Exception {
    Files.createDirectories(tmp.resolve("rules"));
    Files.writeString(tmp.resolve("rules/team.yaml"), TEAM_LABEL);
    Files.writeString(tmp.resolve(".kapas.yaml"), NO_LATEST);
    start("--rules-dir", "rules");
    String denial = denial();
    assertThat(denial).contains("- custom.team-label (high): the pod has no `team` label")
        .contains("- custom.no-latest (critical): runs nginx:latest");
  }

  @Test
  void aBrokenRuleOnReloadKeepsThePreviousRulesAndIsLogged() throws Exception {
    Files.writeString(tmp.resolve(".kapas.yaml"), NO_LATEST);
    start();
    assertThat(denial()).contains("custom.no-latest (critical): runs nginx:latest");

    Files.writeString(tmp.resolve(".kapas.yaml"), NO_LATEST.replace("!c.image.endsWith(':latest')", "c.image +"));
    for (int i = 0; i < 200 && !err.toString().contains("stay in use"); i++) {
      Thread.sleep(25);
    }
    assertThat(err.toString()).contains(".kapas.yaml:").contains("custom.no-latest: validation does not compile")
        .contains("the previous config and rules stay in use");
    assertThat(denial()).contains("custom.no-latest (critical): runs nginx:latest");
    // logged once for the broken file, not at every reload interval
    Thread.sleep(200);
    assertThat(err.toString().split("stay in use", -1)).hasSize(2);

    Files.writeString(tmp.resolve(".kapas.yaml"), NO_LATEST.replace("'runs '", "'still runs '"));
    assertThat(denialOnceReloaded(d -> d.contains("still runs"))).contains("custom.no-latest (critical): still runs nginx:latest");
    assertThat(err.toString()).contains("kapas serve: config and rules reloaded from " + tmp.resolve(".kapas.yaml"));
  }

  @Test
  void aChangedRuleFileIsReloaded() throws Exception {
    Files.createDirectories(tmp.resolve("rules"));
    Files.writeString(tmp.resolve("rules/team.yaml"), TEAM_LABEL);
    start("--rules-dir", "rules", "--rules", "custom.*");
    assertThat(denial()).contains("custom.team-label (high)");

    Files.writeString(tmp.resolve("rules/team.yaml"), TEAM_LABEL.replace("'team'", "'app'"));
    assertThat(denialOnceReloaded(String::isEmpty)).as("the pod has an app label: allowed").isEmpty();
  }

  @Test
  void aRuleDirThatDoesNotLoadAtStartIsAUsageError() throws Exception {
    Files.createDirectories(tmp.resolve("rules"));
    Files.writeString(tmp.resolve("rules/team.yaml"), TEAM_LABEL.replace("'team' in", "'team' on"));
    Tls.selfSigned(tmp.resolve("tls.crt"), tmp.resolve("tls.key"), "kapas", "ec");
    CliRun run = CliRun.in(tmp, "serve", "--offline", "--listen", "127.0.0.1:0", "--tls-cert", "tls.crt",
        "--tls-key", "tls.key", "--rules-dir", "rules");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kapas serve: " + tmp.resolve("rules/team.yaml") + ":6")
        .contains("custom.team-label: validation does not compile");
  }
}

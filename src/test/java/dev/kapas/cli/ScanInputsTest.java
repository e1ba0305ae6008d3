package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kapas scan} reads and where its findings point; exit codes per DESIGN.md. */
class ScanInputsTest {
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: %s, namespace: shop}
      spec:
        containers:
        - name: c
          image: nginx:1.27
          securityContext: {privileged: true}
      """;

  @TempDir Path dir;

  /** Scans with the privileged-container rule only: these tests are about inputs, not rules. */
  private CliRun scan(String... args) {
    return scanWithStdin("", args);
  }

  private CliRun scanWithStdin(String stdin, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "scan";
    all[1] = "--rules=cluster.privileged-container";
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.withStdin(dir, stdin, all);
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  @Test
  void thirdDocumentFindingPointsAtItsOwnLine() throws IOException {
    Path f = write("multi.yaml", "# leading comment\n" + POD.formatted("a") + "---\n"
        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n---\n"
        + POD.formatted("c"));
    CliRun run = scan(f.toString(), "-f", "json");
    // first pod: line 9 (after the comment); the third document starts at line 16, its field at 23
    assertThat(run.out()).contains("\"line\" : 9,").contains("\"line\" : 23,")
        .contains("\"column\" : 23,");
  }

  @Test
  void directoryIsReadRecursivelySkippingHiddenAndOtherFiles() throws IOException {
    write("a/one.yaml", POD.formatted("one"));
    write("a/b/two.yml", POD.formatted("two"));
    write("a/b/c/three.json", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "three"},
         "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
                                  "securityContext": {"privileged": true}}]}}
        """);
    write("a/.git/hidden.yaml", POD.formatted("hidden"));
    write("a/notes.txt", POD.formatted("txt"));
    CliRun run = scan(dir.resolve("a").toString(), "-f", "json");
    assertThat(run.out()).contains("\"name\" : \"one\"").contains("\"name\" : \"two\"")
        .contains("\"name\" : \"three\"").doesNotContain("hidden").doesNotContain("\"txt\"");
    assertThat(run.out()).contains("three.json\",\n      \"line\" : 3,");
  }

  @Test
  void stdinIsReadWithDashAndNamedInFindings() {
    CliRun run = scanWithStdin(POD.formatted("piped"), "-", "-f", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("\"name\" : \"piped\"").contains("\"file\" : \"-\"")
        .contains("\"line\" : 8,");
  }

  /** `kubectl get -o json | kapas scan -`: the JSON fast path, and the YAML path for JSON it refuses. */
  @Test
  void jsonOnStdinIsReadAsTheSameFileIs() throws IOException {
    String clean = """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},
           "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
             "securityContext": {"privileged": true}}]}}]}
        """;
    String duplicateKey = """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "d", "name": "e"},
         "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "securityContext": {"privileged": true}}]}}
        """;
    for (String json : List.of(clean, duplicateKey)) {
      Path f = write("in.json", json);
      CliRun fromFile = scan(f.toString(), "-f", "json");
      CliRun fromStdin = scanWithStdin(json, "-", "-f", "json");
      assertThat(fromStdin.out()).isEqualTo(fromFile.out().replace(f.toString(), "-"));
      assertThat(fromStdin.exitCode()).isEqualTo(fromFile.exitCode());
    }
    assertThat(scanWithStdin(clean, "-", "-f", "json").out()).contains("\"line\" : 4,").contains("\"column\" : 26,");
    assertThat(scanWithStdin(duplicateKey, "-", "-f", "json").out()).contains("duplicate key");
  }

  @Test
  void listKindsAreExpandedWithItemLines() throws IOException {
    Path f = write("list.yaml", """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: in-list}
          spec:
            containers:
            - {name: c, image: nginx:1.27, securityContext: {privileged: true}}
        ---
        apiVersion: v1
        kind: PodList
        items:
        - metadata: {name: in-podlist}
          spec:
            containers:
            - name: c
              image: nginx:1.27
              securityContext: {privileged: true}
        """);
    CliRun run = scan(f.toString(), "-f", "json");
    assertThat(run.out()).contains("\"name\" : \"in-list\"").contains("\"name\" : \"in-podlist\"")
        .contains("\"line\" : 9,").contains("\"line\" : 19,");
  }

  @Test
  void documentsWithoutKindAreSkippedWithANote() throws IOException {
    Path f = write("values.yaml", "replicas: 3\nimage: nginx\n---\n" + POD.formatted("ok"));
    CliRun run = scan(f.toString(), "-f", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("no apiVersion/kind; skipped").contains("\"name\" : \"ok\"");
  }

  @Test
  void exitCodes() throws IOException {
    Path bad = write("bad.yaml", POD.formatted("bad"));
    Path good = write("good.yaml", POD.formatted("good").replace("privileged: true", "privileged: false"));
    assertThat(scan(good.toString()).exitCode()).as("clean").isZero();
    assertThat(scan(bad.toString()).exitCode()).as("findings").isEqualTo(1);
    assertThat(scan(bad.toString(), "--fail-on", "none").exitCode()).isZero();
    assertThat(scan(bad.toString(), "--fail-on", "critical").exitCode()).isEqualTo(1);
    assertThat(scan("--bogus", bad.toString()).exitCode()).as("usage").isEqualTo(2);
    assertThat(CliRun.in(dir, "scan").exitCode()).as("no path").isEqualTo(2);
    assertThat(scan(good.toString(), dir.resolve("nope.yaml").toString()).exitCode())
        .as("input error beats findings").isEqualTo(3);
    assertThat(scan(bad.toString(), dir.resolve("nope.yaml").toString()).exitCode())
        .as("input error beats findings").isEqualTo(3);
  }

  @Test
  void failOnThresholdsAreOrdered() throws IOException {
    Path bad = write("bad.yaml", POD.formatted("bad"));
    Path cfg = write("cfg.yaml", "rules:\n  cluster.privileged-container: {severity: medium}\n");
    String c = cfg.toString();
    assertThat(scan(bad.toString(), "-c", c, "--fail-on", "high").exitCode()).isZero();
    assertThat(scan(bad.toString(), "-c", c, "--fail-on", "medium").exitCode()).isEqualTo(1);
    assertThat(scan(bad.toString(), "-c", c, "--fail-on", "low").exitCode()).isEqualTo(1);
    CliRun wrong = scan(bad.toString(), "--fail-on", "severe");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("severe").contains("critical");
  }

  @Test
  void helpExplainsEveryOption() {
    CliRun run = scan("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--format").contains("--output").contains("--fail-on")
        .contains("--framework").contains("--pss-version").contains("--pss").contains("--config")
        .contains("Exit codes");
  }
}

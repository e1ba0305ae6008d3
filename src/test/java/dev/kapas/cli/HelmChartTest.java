package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm charts given to {@code kapas scan}: rendered with the real Helm (helm-java's native
 * library), findings at template lines with the value key that set them.
 */
class HelmChartTest {
  private static final String CHART = "examples/charts/webapp";
  private static final String TEMPLATES = CHART + "/templates/";

  @TempDir Path dir;

  private static CliRun scan(String... args) {
    List<String> all = new ArrayList<>(List.of("scan", "--no-color"));
    all.addAll(List.of(args));
    return CliRun.run(all.toArray(String[]::new));
  }

  @Test
  void findingsPointAtTheTemplateLineAndNameTheValueKey() {
    CliRun run = scan(CHART, "--rules", "cluster.privileged-container,cluster.privilege-escalation,"
        + "container.host-namespaces,container.image-latest");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
    // privileged: {{ .Values.securityContext.privileged }} is line 25 of the template
    assertThat(run.out()).contains("Deployment/kapas-webapp  " + TEMPLATES + "deployment.yaml:25\n"
        + "        container `web` sets `privileged: true` [value `securityContext.privileged` ("
        + CHART + "/values.yaml:9)]");
    // written by {{ toYaml . | nindent 12 }} (line 35) inside {{ with .Values.sidecar.securityContext }}
    assertThat(run.out()).contains(TEMPLATES + "deployment.yaml:35\n"
        + "        container `log-shipper` sets `allowPrivilegeEscalation: true` [value "
        + "`sidecar.securityContext.allowPrivilegeEscalation` (" + CHART + "/values.yaml:16)]");
    // two values on one line are both named
    assertThat(run.out()).contains("[value `image.repository` (" + CHART + "/values.yaml:4) and value `image.tag` ("
        + CHART + "/values.yaml:5)]");
    // the subchart in charts/: its own template file; its value as the parent chart sets it
    assertThat(run.out()).contains("StatefulSet/kapas-cache  " + CHART + "/charts/cache/templates/statefulset.yaml:15\n"
        + "        the pod sets `hostPID: true` [value `cache.hostPID` (default in " + CHART
        + "/charts/cache/values.yaml:2)]");
    // a field the template does not write carries no value key
    assertThat(run.out()).contains("deployment.yaml:24\n        container `web` does not set "
        + "`allowPrivilegeEscalation: false`\n");
  }

  @Test
  void setAndValuesOverrideTheChartsValues() throws IOException {
    Path values = Files.writeString(dir.resolve("prod.yaml"), """
        securityContext:
          privileged: false
        sidecar:
          securityContext:
            allowPrivilegeEscalation: true
        cache:
          hostPID: false
        """);
    CliRun run = scan(CHART, "--values", values.toString(), "--set", "image.tag=1.4.2",
        "--set", "sidecar.securityContext.allowPrivilegeEscalation=true",
        "--rules", "cluster.privileged-container,cluster.privilege-escalation,container.host-namespaces,"
            + "container.image-latest");
    assertThat(run.out()).as(run.all())
        .doesNotContain("privileged: true").doesNotContain("hostPID").doesNotContain("latest")
        .contains("`allowPrivilegeEscalation: true` [value `sidecar.securityContext.allowPrivilegeEscalation` "
            + "(--set sidecar.securityContext.allowPrivilegeEscalation=true)]");

    CliRun fromFile = scan(CHART, "--values", values.toString(), "--rules", "cluster.privilege-escalation");
    assertThat(fromFile.out()).contains("[value `sidecar.securityContext.allowPrivilegeEscalation` ("
        + values + ":5)]");
  }

  @Test
  void releaseNameAndNamespaceReachTheTemplates() throws IOException {
    Path chart = chart(dir.resolve("ns"), "ns", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .Release.Name }}-pod
          namespace: {{ .Release.Namespace }}
        spec:
          containers:
            - name: c
              image: nginx:1.27
              securityContext:
                privileged: true
        """);
    CliRun run = scan(chart.toString(), "--release-name", "prod", "--namespace", "shop",
        "--rules", "cluster.privileged-container");
    assertThat(run.out()).as(run.all()).contains("Pod/shop/prod-pod  " + chart + "/templates/pod.yaml:11");
  }

  @Test
  void brokenTemplateIsAnInputErrorWithHelmsMessageAndTheRestIsScanned() throws IOException {
    Path chart = chart(dir.resolve("broken"), "broken", "apiVersion: v1\nkind: Pod\nmetadata:\n"
        + "  name: {{ .Values.missing.deeper }}\n");
    CliRun run = scan(chart.toString(), CliRun.WORKLOADS, "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(3);
    // at the template file and line Helm names
    assertThat(run.out()).contains(chart + "/templates/pod.yaml:4:18: cannot render Helm chart: template: "
        + "broken/templates/pod.yaml:4:18:")
        .contains("nil pointer evaluating interface {}.deeper")
        .doesNotContain("--debug")
        // the manifests given beside the chart were still scanned
        .contains("cluster.privileged-container").contains(CliRun.WORKLOADS);
  }

  @Test
  void packagedChartIsUnpackedAndRendered() throws IOException {
    Path tgz = dir.resolve("webapp-0.1.0.tgz");
    tarGz(Path.of(CHART), "webapp", tgz);
    CliRun run = scan(tgz.toString(), "--rules", "cluster.privileged-container,container.host-namespaces");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
    assertThat(run.out())
        .contains(tgz + "!/webapp/templates/deployment.yaml:25\n")
        .contains("[value `securityContext.privileged` (" + tgz + "!/webapp/values.yaml:9)]")
        .contains(tgz + "!/webapp/charts/cache/templates/statefulset.yaml:15");
  }

  @Test
  void fileDependencyIsBuiltOfflineWithoutTouchingTheChart() throws IOException {
    chart(dir.resolve("lib"), "lib", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .Release.Name }}-lib
        spec:
          hostNetwork: {{ .Values.hostNetwork }}
          containers:
            - name: c
              image: nginx:1.27
        """);
    Files.writeString(dir.resolve("lib/values.yaml"), "hostNetwork: false\n");
    Path app = chart(dir.resolve("app"), "app", "");
    Files.delete(app.resolve("templates/pod.yaml"));
    Files.writeString(app.resolve("Chart.yaml"), """
        apiVersion: v2
        name: app
        version: 1.0.0
        dependencies:
          - name: lib
            version: 1.0.0
            repository: file://../lib
        """);
    Files.writeString(app.resolve("values.yaml"), "lib:\n  hostNetwork: true\n");
    CliRun run = scan(app.toString(), "--rules", "container.host-namespaces");
    assertThat(run.out()).as(run.all())
        .contains("Pod/kapas-lib  " + dir.resolve("lib") + "/templates/pod.yaml:6\n"
            + "        the pod sets `hostNetwork: true` [value `lib.hostNetwork` (" + app + "/values.yaml:2)]");
    try (Stream<Path> files = Files.walk(app)) {
      assertThat(files.map(p -> app.relativize(p).toString()))
          .as("the user's chart is not written to").doesNotContain("charts", "Chart.lock");
    }
  }

  @Test
  void rangeItemsAndAliasedSubchartsNameTheirOwnValue() throws IOException {
    Path parent = chart(dir.resolve("p"), "p", """
        {{- range .Values.workers }}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .name }}
        spec:
          containers:
            - name: c
              image: nginx:1.27
              securityContext:
                privileged: {{ .privileged }}
        {{- end }}
        """);
    Files.writeString(parent.resolve("Chart.yaml"), """
        apiVersion: v2
        name: p
        version: 1.0.0
        dependencies:
          - name: cache
            version: 0.1.0
            alias: kv
        """);
    Files.writeString(parent.resolve("values.yaml"), """
        kv:
          hostPID: true
        workers:
          - name: a
            privileged: false
          - name: b
            privileged: true
        """);
    copyTree(Path.of(CHART, "charts/cache"), parent.resolve("charts/cache"));
    CliRun run = scan(parent.toString(), "--rules", "cluster.privileged-container,container.host-namespaces");
    assertThat(run.out()).as(run.all())
        .contains("Pod/b  " + parent + "/templates/pod.yaml:12\n"
            + "        container `c` sets `privileged: true` [value `workers[1].privileged` (" + parent
            + "/values.yaml:7)]")
        .contains("StatefulSet/kapas-cache  " + parent + "/charts/cache/templates/statefulset.yaml:15\n"
            + "        the pod sets `hostPID: true` [value `kv.hostPID` (" + parent + "/values.yaml:2)]")
        .doesNotContain("Pod/a ");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void aTgzThatIsNotAChartIsAnInputError() throws IOException {
    Path bogus = Files.writeString(dir.resolve("notes.tgz"), "plain text");
    CliRun run = scan(bogus.toString(), CliRun.WORKLOADS, "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains(bogus + ": cannot read Helm chart: not a packaged chart (gzipped tar)")
        .contains(CliRun.WORKLOADS);
  }

  @Test
  void helmsShortValuesFlagIsFormatHereAndSaysSo() {
    CliRun run = scan(CHART, "-f", "values.yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("(for a Helm values file, use --values)");
  }

  @Test
  void missingValuesFileOrMalformedSetIsAUsageError() {
    assertThat(scan(CHART, "--values", "no-such.yaml").err()).contains("--values no-such.yaml: no such file");
    assertThat(scan(CHART, "--set", "novalue").exitCode()).isEqualTo(2);
  }

  @Test
  void chartsInsideADirectoryAreRenderedNotReadAsManifests() {
    CliRun run = scan("examples/", "--rules", "cluster.privileged-container");
    assertThat(run.all()).doesNotContain("invalid YAML").doesNotContain("cannot render")
        .contains(TEMPLATES + "deployment.yaml:25").contains("examples/shop/");
  }

  private static final String PRIVILEGED_POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: %s
        annotations:
          "helm.sh/hook": %s
      spec:
        containers: [{name: c, image: "x:1", securityContext: {privileged: true}}]
      """;

  @Test
  void hooksAreScannedAndMarkedAndTestHooksLeftOutWithSkipTests() throws IOException {
    Path chart = chart(dir.resolve("hooks"), "hooks", PRIVILEGED_POD.formatted("migrate", "pre-install,pre-upgrade"));
    Files.writeString(chart.resolve("templates/test.yaml"), PRIVILEGED_POD.formatted("smoke", "test"));
    CliRun run = scan(chart.toString(), "--rules", "cluster.privileged-container");
    assertThat(run.out()).as(run.all())
        .contains("Pod/migrate  " + chart + "/templates/pod.yaml:8\n        container `c` sets `privileged: true` "
            + "[Helm hook: pre-install,pre-upgrade]")
        .contains("[Helm hook: test]");
    CliRun json = scan(chart.toString(), "--rules", "cluster.privileged-container", "-f", "json");
    assertThat(json.out()).contains("[Helm hook: pre-install,pre-upgrade]");

    CliRun skipped = scan(chart.toString(), "--rules", "cluster.privileged-container", "--skip-tests");
    assertThat(skipped.out()).as(skipped.all()).contains("Pod/migrate").doesNotContain("Pod/smoke");
  }

  @Test
  void secretValuesTheChartGeneratesAreNotCommittedSecrets() throws IOException {
    Path chart = chart(dir.resolve("gen"), "gen", """
        {{- $old := lookup "v1" "Secret" .Release.Namespace "db" }}
        {{- $pw := randAlphaNum 24 }}
        {{- if $old }}{{ $pw = index $old.data "password" | b64dec }}{{ end }}
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
        data:
          password: {{ $pw | b64enc | quote }}
          token: {{ randBytes 32 | quote }}
          apiKey: {{ .Values.apiKey | default (randAlphaNum 16) | b64enc | quote }}
        stringData:
          tls.key: {{ genPrivateKey "ecdsa" | quote }}
          admin: {{ .Values.admin | quote }}
        """);
    Files.writeString(chart.resolve("values.yaml"), "apiKey: \"\"\nadmin: s3cr3t-Admin-pass\n");
    CliRun run = scan(chart.toString(), "--rules", "code.secret-manifest-committed");
    // only the value written in values.yaml is committed; the generated ones are new at every install
    assertThat(run.out()).as(run.all())
        .contains("Secret `db` (type `Opaque`) is committed with 1 value: `admin`")
        .doesNotContain("s3cr3t");

    // a value given for apiKey replaces the generated default: it is committed again
    CliRun given = scan(chart.toString(), "--set", "apiKey=k-12345678", "--rules", "code.secret-manifest-committed");
    assertThat(given.out()).as(given.all()).contains("is committed with 2 values: `apiKey`, `admin`");

    // a chart whose Secret holds only generated values has no finding
    Files.writeString(chart.resolve("values.yaml"), "apiKey: \"\"\nadmin: \"\"\n");
    CliRun none = scan(chart.toString(), "--rules", "code.secret-manifest-committed");
    assertThat(none.exitCode()).as(none.all()).isZero();
    assertThat(none.out()).doesNotContain("is committed");
  }

  @Test
  void subchartsFollowConditionsTagsAliasesAndGlobals() throws IOException {
    Path parent = chart(dir.resolve("parent"), "parent", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        + "  name: parent\n");
    Files.writeString(parent.resolve("Chart.yaml"), """
        apiVersion: v2
        name: parent
        version: 1.0.0
        dependencies:
          - {name: extra, version: 1.0.0, condition: extra.enabled}
          - {name: web, version: 1.0.0, alias: front, tags: [web]}
          - {name: web, version: 1.0.0, alias: back, tags: [back]}
        """);
    Files.writeString(parent.resolve("values.yaml"), """
        global: {registry: reg.example.com}
        extra: {enabled: false}
        tags: {web: true, back: false}
        """);
    chart(parent.resolve("charts/extra"), "extra", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
    Path web = chart(dir.resolve("web"), "web", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .Release.Name }}-{{ .Chart.Name }}
        spec:
          containers: [{name: c, image: "{{ .Values.global.registry }}/web:1", securityContext: {privileged: true}}]
        """);
    Files.createDirectories(parent.resolve("charts"));
    tarGz(web, "web", parent.resolve("charts/web-1.0.0.tgz"));
    CliRun run = scan(parent.toString(), "--rules", "cluster.privileged-container", "-f", "json");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
    assertThat(run.out()).contains("\"objects\" : 2").contains("kapas-front")
        .doesNotContain("kapas-back").doesNotContain("\"extra\"");
    assertThat(run.out()).contains("charts/web-1.0.0.tgz!/web/templates/pod.yaml");
  }

  @Test
  void aMissingRemoteDependencyIsAnInputErrorThatSaysHowToFetchIt() throws IOException {
    Path chart = chart(dir.resolve("needs"), "needs", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    Files.writeString(chart.resolve("Chart.yaml"), """
        apiVersion: v2
        name: needs
        version: 1.0.0
        dependencies:
          - {name: redis, version: 1.0.0, repository: "https://charts.example.com"}
        """);
    CliRun run = scan(chart.toString(), CliRun.WORKLOADS, "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).as(run.all()).contains(chart + ": cannot render Helm chart:")
        .contains("redis").contains("helm dependency build");
  }

  private static Path chart(Path root, String name, String template) throws IOException {
    Files.createDirectories(root.resolve("templates"));
    Files.writeString(root.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 1.0.0\n");
    Files.writeString(root.resolve("templates/pod.yaml"), template);
    return root;
  }

  /** A packaged chart as `helm package` makes it: a gzipped ustar archive under one top directory. */
  private static void tarGz(Path chart, String top, Path out) throws IOException {
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out));
        Stream<Path> walk = Files.walk(chart)) {
      for (Path p : walk.sorted().toList()) {
        String name = top + "/" + chart.relativize(p).toString().replace('\\', '/');
        boolean directory = Files.isDirectory(p);
        byte[] data = directory ? new byte[0] : Files.readAllBytes(p);
        gz.write(header(directory ? name + "/" : name, data.length, directory ? '5' : '0'));
        gz.write(data);
        gz.write(new byte[(512 - data.length % 512) % 512]);
      }
      gz.write(new byte[1024]);
    }
  }

  private static byte[] header(String name, long size, char type) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 0));
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, offset, b.length);
  }

}

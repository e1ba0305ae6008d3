package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhoCanCommandTest {
  private static final String SHOP = "src/test/resources/rbac/shop.yaml";
  private static final String UPSTREAM = "src/test/resources/rbac/upstream-defaults.yaml";

  @Test
  void listsSubjectsWithBindingRoleAndRuleLine() {
    CliRun run = CliRun.run("rbac", "who-can", "create", "pods/exec", "-n", "shop", SHOP);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Who can create pods/exec in namespace shop: 3 subjects, 3 grants")
        .contains("SUBJECT").contains("VIA BINDING")
        .containsPattern("ServiceAccount web +shop +shop +RoleBinding shop/debuggers +Role shop/pod-debugger +"
            + "src/test/resources/rbac/shop.yaml:10")
        .containsPattern("User alice +- +shop +RoleBinding shop/debuggers")
        // the rule comes from a component of the aggregated ClusterRole, limited to one pod
        .containsPattern("User bob +- +cluster-wide +ClusterRoleBinding support +ClusterRole support +"
            + "src/test/resources/rbac/shop.yaml:86 \\(in ClusterRole support-exec\\) only toolbox");
  }

  @Test
  void namespaceAndApiGroupNarrowTheAnswer() {
    CliRun billing = CliRun.run("rbac", "who-can", "get", "secrets", "-n", "shop", SHOP);
    assertThat(billing.out()).contains("Group ops").doesNotContain("billing-team");
    CliRun group = CliRun.run("rbac", "who-can", "get", "secrets.apps", SHOP);
    assertThat(group.exitCode()).isZero();
    assertThat(group.out()).startsWith("No subject can get secrets (API group apps)");
  }

  @Test
  void aTrailingDotMeansTheCoreGroupAlone(@TempDir Path dir) throws IOException {
    Path rbac = Files.writeString(dir.resolve("rbac.yaml"), """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-metrics}
        rules:
        - {apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: pod-metrics}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-metrics}
        subjects: [{kind: Group, name: monitoring, apiGroup: rbac.authorization.k8s.io}]
        """);
    assertThat(CliRun.run("rbac", "who-can", "get", "pods", rbac.toString()).out()).contains("Group monitoring");
    assertThat(CliRun.run("rbac", "who-can", "get", "pods.metrics.k8s.io", rbac.toString()).out())
        .contains("Group monitoring");
    assertThat(CliRun.run("rbac", "who-can", "get", "pods.", rbac.toString()).out())
        .startsWith("No subject can get pods").doesNotContain("monitoring");
  }

  @Test
  void aHelmChartIsRenderedWithItsValuesAsKapasScanRendersIt(@TempDir Path dir) throws IOException {
    Path chart = Files.createDirectories(dir.resolve("reporter/templates"));
    Files.writeString(chart.resolveSibling("Chart.yaml"), "apiVersion: v2\nname: reporter\nversion: 0.1.0\n");
    Files.writeString(chart.resolveSibling("values.yaml"), "readSecrets: true\n");
    Files.writeString(chart.resolve("rbac.yaml"), """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: {{ .Release.Name }}-reader
        rules:
        - apiGroups: [""]
          resources: [configmaps{{ if .Values.readSecrets }}, secrets{{ end }}]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: {{ .Release.Name }}-reader
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{ .Release.Name }}-reader}
        subjects: [{kind: ServiceAccount, name: {{ .Release.Name }}}]
        """);
    String path = chart.getParent().toString();
    CliRun run = CliRun.run("rbac", "who-can", "get", "secrets", path, "--release-name", "nightly");
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).containsPattern("ServiceAccount nightly +default +default +RoleBinding default/nightly-reader +"
        + "Role default/nightly-reader +" + path + "/templates/rbac.yaml:6");
    // rendered into the namespace asked about, where {{ .Release.Namespace }} puts the binding
    Files.writeString(chart.resolve("rbac.yaml"), Files.readString(chart.resolve("rbac.yaml"))
        .replace("name: {{ .Release.Name }}-reader\n", "name: {{ .Release.Name }}-reader\n  namespace: {{ .Release.Namespace }}\n"));
    assertThat(CliRun.run("rbac", "who-can", "get", "secrets", "-n", "team-a", path).out())
        .containsPattern("ServiceAccount kapas +team-a +team-a +RoleBinding team-a/kapas-reader");
    CliRun off = CliRun.run("rbac", "who-can", "get", "secrets", path, "--set", "readSecrets=false");
    assertThat(off.out()).as(off.all()).startsWith("No subject can get secrets");
    CliRun bad = CliRun.run("rbac", "who-can", "get", "secrets", path, "--set", "readSecrets");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("kapas rbac who-can: --set `readSecrets`: expected KEY=VALUE");
  }

  @Test
  void wildcardsAndNonResourceUrlsAndDefaults() {
    CliRun run = CliRun.run("rbac", "who-can", "delete", "deployments.apps", UPSTREAM);
    assertThat(run.out()).contains("Group system:masters").contains("ClusterRoleBinding cluster-admin (default)")
        .contains("ServiceAccount generic-garbage-collector");
    CliRun url = CliRun.run("rbac", "who-can", "get", "/metrics", UPSTREAM);
    assertThat(url.out()).contains("Group system:monitoring").doesNotContain("system:authenticated");
  }

  @Test
  void clusterAdminBoundButNotDefinedGrantsEverything() {
    CliRun run = CliRun.run("rbac", "who-can", "get", "secrets", "-n", "shop",
        "src/test/resources/rules/cluster.rbac-cluster-admin-binding/fail-admins.yaml");
    assertThat(run.out()).containsPattern("User alice@example.com +- +cluster-wide +ClusterRoleBinding tiller +"
        + "ClusterRole cluster-admin +built-in \\(upstream cluster-admin\\)")
        .contains("Group shop-team").contains("Group system:masters");
  }

  @Test
  void jsonNamesTheWholeChain() throws IOException {
    CliRun run = CliRun.run("rbac", "who-can", "create", "pods/exec", "-o", "json", SHOP);
    assertThat(run.exitCode()).isZero();
    List<String> values = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(run.out())) {
      String field = "";
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME) {
          field = p.currentName();
        } else if (t.isScalarValue()) {
          values.add(field + "=" + p.getValueAsString());
        }
      }
    }
    assertThat(values).contains("verb=create", "resource=pods", "subresource=exec", "apiGroup=null",
        "declaredIn=ClusterRole/support-exec", "path=rules[0]", "resourceNames=toolbox", "line=86");
  }

  @Test
  void badInputIsReportedAndTheRestAnswered(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "kind: [\n");
    CliRun run = CliRun.run("rbac", "who-can", "get", "secrets", SHOP, broken.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("broken.yaml");
    assertThat(run.out()).contains("Group ops");
  }

  @Test
  void readsStdin() throws IOException {
    CliRun run = CliRun.withStdin(Path.of("").toAbsolutePath(), Files.readString(Path.of(SHOP)),
        "rbac", "who-can", "impersonate", "users", "-");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("No subject can impersonate users");
    CliRun exec = CliRun.withStdin(Path.of("").toAbsolutePath(), Files.readString(Path.of(SHOP)),
        "rbac", "who-can", "create", "pods/exec", "-");
    assertThat(exec.out()).contains("-:10");
  }

  @Test
  void usageErrors() {
    assertThat(CliRun.run("rbac", "who-can", "get", "secrets", "-o", "xml", SHOP).exitCode()).isEqualTo(2);
    assertThat(CliRun.run("rbac", "who-can", "get", "/metrics", "-n", "shop", SHOP).exitCode()).isEqualTo(2);
    assertThat(CliRun.run("rbac", "who-can", "get").exitCode()).isEqualTo(2);
    CliRun help = CliRun.run("rbac", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("who-can");
  }
}

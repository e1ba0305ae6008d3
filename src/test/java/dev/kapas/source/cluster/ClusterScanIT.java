package dev.kapas.source.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kapas cluster against a real kube-apiserver v1.20 with a real etcd on 127.0.0.1 (started by
 * {@code ../shared/tools/kube-apiserver/start.sh} with its own state directory and free ports).
 * Loads src/test/resources/cluster-it/objects.yaml plus 1,100 ConfigMaps (pagination) and a
 * restricted service account (403s), then checks the live scan against the offline scan of the same
 * YAML and against a re-scan of its --save snapshot. Skipped, with the reason, when the binary has not
 * been built.
 */
class ClusterScanIT {
  private static final Path OBJECTS = Path.of("src/test/resources/cluster-it/objects.yaml");
  private static final String SECRET_VALUE = "kapas-it-secret-value-do-not-print";
  private static final int BULK = 1_100;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A namespace whose ServiceAccount holds the built-in `edit` role, and a role aggregated into it. */
  private static final String AGGREGATION = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: agg}
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: editor, namespace: agg}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: editor, namespace: agg}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
      subjects:
      - {kind: ServiceAccount, name: editor, namespace: agg}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: agg-widgets
        labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
      rules:
      - apiGroups: [example.com]
        resources: [widgets]
        verbs: [create, delete]
      """;

  /**
   * A namespace owner's Role with every right, and a cluster-scoped custom resource, which that
   * RoleBinding cannot grant: only discovery tells kapas cluster who-can that it is cluster-scoped.
   */
  private static final String SCOPES = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: owners}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: owner, namespace: owners}
      rules:
      - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: owners, namespace: owners}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: owner}
      subjects:
      - {kind: Group, name: owners-team, apiGroup: rbac.authorization.k8s.io}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: clusterwidgets.example.com}
      spec:
        group: example.com
        scope: Cluster
        names: {plural: clusterwidgets, singular: clusterwidget, kind: ClusterWidget}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  @TempDir
  static Path tmp;
  private static Map<String, String> env;
  private static Path kubeconfig;

  @BeforeAll
  static void startAndLoad() throws Exception {
    KubeApiServer.assumeBuilt();
    env = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
    kubeconfig = Path.of(env.get("KUBECONFIG"));
    try (KubernetesClient admin = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(null, kubeconfig.toFile())).build()) {
      for (String file : List.of(OBJECTS.toString(), "src/test/resources/cluster-it/restricted.yaml",
          "deploy/namespace.yaml", "deploy/rbac.yaml")) {
        create(admin, Files.readString(Path.of(file)));
      }
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bulk").endMetadata().build())
          .create();
      // What a kubeadm control plane's kubelet mirrors into kube-system. This server runs no
      // kubelet, so the pod is created as a plain object: the API stores and lists it the same.
      admin.pods().inNamespace("kube-system").resource(new PodBuilder()
          .withNewMetadata().withName("kube-apiserver-cp1").withNamespace("kube-system")
          .addToLabels("component", "kube-apiserver").addToLabels("tier", "control-plane").endMetadata()
          .withNewSpec().addNewContainer().withName("kube-apiserver").withImage("registry.k8s.io/kube-apiserver:v1.30.2")
          .withCommand("kube-apiserver", "--anonymous-auth=true", "--authorization-mode=Node,RBAC")
          .endContainer().endSpec().build()).create();
      // The upstream `edit` ClusterRole is only an aggregationRule until kube-controller-manager
      // fills it in; this server runs none, so kapas must resolve the aggregation itself.
      create(admin, AGGREGATION);
      create(admin, SCOPES);
      long served = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // served once the CRD is established; until then the group is unknown (raw gives null)
      while (!String.valueOf(admin.raw("/apis/example.com/v1")).contains("clusterwidgets")
          && System.nanoTime() < served) {
        Thread.sleep(200);
      }
      IntStream.range(0, BULK).parallel().forEach(i -> admin.configMaps().inNamespace("bulk")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
              .addToData("n", String.valueOf(i)).build()).create());
    }
  }

  private static void create(KubernetesClient admin, String yaml) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      for (HasMetadata o : admin.load(in).items()) {
        admin.resource(o).create();
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      KubeApiServer.stop(env);
    }
  }

  private static CliRun cluster(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "cluster";
    all[1] = "--kubeconfig";
    all[2] = kubeconfig.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.run(all);
  }

  /** rule, object and field of each finding (with the message when {@code messages}). */
  private static Set<String> findings(String json, boolean messages, Set<String> onlyNamespaces) {
    Set<String> out = new TreeSet<>();
    for (JsonNode f : JSON.readTree(json).get("findings")) {
      JsonNode o = f.get("object");
      String ns = o.get("namespace").asString();
      String name = o.get("name").asString();
      if (onlyNamespaces != null && !onlyNamespaces.contains(ns) && !onlyNamespaces.contains(name)
          && !name.startsWith("kapas-it-")) {
        continue;
      }
      out.add(f.get("ruleId").asString() + " " + o.get("kind").asString() + "/" + ns + "/" + name + " "
          + f.get("location").get("path").asString() + (messages ? " " + f.get("message").asString() : ""));
    }
    return out;
  }

  @Test
  void liveFindingsAreTheOfflineFindingsOfTheSameYaml() {
    CliRun live = cluster("-f", "json");
    CliRun offline = CliRun.run("scan", OBJECTS.toString(), "-f", "json");
    assertThat(live.err()).isEmpty();
    Set<String> ours = Set.of("shop", "locked");
    Set<String> fromFile = findings(offline.out(), false, null);
    // A Secret read from a cluster is not a manifest committed with its values: only metadata is read.
    fromFile.removeIf(f -> f.startsWith("code.secret-manifest-committed "));
    assertThat(findings(live.out(), false, ours)).isEqualTo(fromFile).hasSizeGreaterThan(30);
    assertThat(live.out()).contains("cluster.version-unsupported", "v1.20", "cluster/" + "local/Deployment/shop/web");
    assertThat(live.exitCode()).isEqualTo(1);
  }

  /** Custom CEL rules (--rules-dir) judge the live objects as they judge the same YAML offline. */
  @Test
  void customRulesJudgeTheLiveObjects() {
    String[] rules = {"--rules-dir", "examples/policies", "-f", "json"};
    CliRun live = cluster(rules);
    CliRun offline = CliRun.run(Stream.concat(Stream.of("scan", OBJECTS.toString()),
        Stream.of(rules)).toArray(String[]::new));
    Set<String> fromFile = findings(offline.out(), true, null);
    fromFile.removeIf(f -> !f.startsWith("custom."));
    Set<String> fromCluster = findings(live.out(), true, Set.of("shop", "locked"));
    fromCluster.removeIf(f -> !f.startsWith("custom."));
    assertThat(live.err()).isEmpty();
    assertThat(fromCluster).as(live.out()).isEqualTo(fromFile).isNotEmpty();
  }

  @Test
  void theSnapshotRescansOfflineWithIdenticalFindings() throws IOException {
    Path snapshot = tmp.resolve("snapshot.json");
    CliRun live = cluster("-f", "json", "--save", snapshot.toString(), "--page-size", "100");
    CliRun again = CliRun.run("scan", snapshot.toString(), "-f", "json");
    Set<String> liveFindings = findings(live.out(), true, null);
    // the server version is live-only: a snapshot holds objects
    liveFindings.removeIf(f -> f.startsWith("cluster.version-unsupported "));
    assertThat(findings(again.out(), true, null)).isEqualTo(liveFindings);
    String saved = Files.readString(snapshot);
    assertThat(saved).doesNotContain(SECRET_VALUE)
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes()))
        .contains("\"kind\":\"Secret\"", "\"name\":\"db\"");
    // 1,100 ConfigMaps through pages of 100
    long bulk = 0;
    for (JsonNode i : JSON.readTree(saved).get("items")) {
      if (i.get("kind").asString().equals("ConfigMap") && i.get("metadata").path("namespace").asString("").equals("bulk")) {
        bulk++;
      }
    }
    assertThat(bulk).isEqualTo(BULK);
    assertThat(live.out() + live.err()).doesNotContain(SECRET_VALUE);
  }

  @Test
  void controlPlaneMirrorPodsFeedTheFlagRules() {
    CliRun live = cluster("-n", "kube-system", "-f", "json");
    assertThat(live.out())
        .contains("cluster.apiserver-anonymous-auth")
        .contains("kube-apiserver (mirror pod kube-system/kube-apiserver-cp1) sets `--anonymous-auth=true`")
        .doesNotContain("cluster.apiserver-always-allow");
  }

  @Test
  void namespacesAreSelectedAndExcluded() throws IOException {
    Path only = tmp.resolve("only.json");
    cluster("-n", "locked", "--save", only.toString(), "-f", "json");
    assertThat(namespacesIn(only)).containsExactlyInAnyOrder("", "locked");
    Path without = tmp.resolve("without.json");
    cluster("--exclude-namespaces", "bulk,kube-system", "--save", without.toString(), "-f", "json");
    assertThat(namespacesIn(without)).contains("shop", "locked", "kube-public").doesNotContain("bulk", "kube-system");
    assertThat(Files.readString(without)).doesNotContain("\"name\":\"bulk\"");
  }

  /** The namespaces of the saved objects ("" for cluster-scoped ones). */
  private static Set<String> namespacesIn(Path snapshot) throws IOException {
    Set<String> namespaces = new TreeSet<>();
    for (JsonNode item : JSON.readTree(Files.readString(snapshot)).get("items")) {
      namespaces.add(item.get("metadata").path("namespace").asString(""));
    }
    return namespaces;
  }

  /** The admin kubeconfig, impersonating {@code user} (as kubectl --as does). */
  private static Path as(String user) throws IOException {
    Path file = tmp.resolve(user.replace(':', '-') + "-kubeconfig");
    Files.writeString(file, Files.readString(kubeconfig).replace("user: {client-certificate",
        "user: {as: \"" + user + "\", client-certificate"));
    return file;
  }

  @Test
  void theShippedClusterRoleIsEnoughWithNoSecrets() throws IOException {
    Path scanner = as("system:serviceaccount:kapas:kapas-scanner");
    CliRun run = CliRun.run("cluster", "--kubeconfig", scanner.toString(), "--no-secrets", "-f", "json");
    assertThat(JSON.readTree(run.out()).get("errors")).as(run.out()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(findings(run.out(), false, null)).isEqualTo(findings(cluster("-f", "json").out(), false, null));
    CliRun withSecrets = CliRun.run("cluster", "--kubeconfig", scanner.toString());
    assertThat(withSecrets.exitCode()).isEqualTo(3);
    assertThat(withSecrets.out()).contains("cluster/local/Secret: not scanned: forbidden");
  }

  @Test
  void aForbiddenKindIsNotScannedAndTheRestIs() throws IOException {
    Path restricted = as("system:serviceaccount:shop:restricted");
    CliRun run = CliRun.run("cluster", "--kubeconfig", restricted.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("cluster/local/Secret: not scanned: forbidden")
        .contains("Deployment/shop/web").doesNotContain("\tat ");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void whoCanAnswersFromTheLiveRbacGraph() {
    CliRun run = CliRun.run("cluster", "who-can", "create", "pods/exec", "-n", "shop", "--kubeconfig",
        kubeconfig.toString());
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).contains("ServiceAccount deployer", "RoleBinding shop/deployer",
        "cluster/local/Role/shop/deployer", "ClusterRoleBinding kapas-it-wildcard", "Group system:masters");
  }

  @Test
  void aggregatedClusterRolesAreResolvedFromTheLiveLabels() {
    // `edit` gets pods/exec from the upstream system:aggregate-to-edit role ...
    CliRun exec = CliRun.run("cluster", "who-can", "create", "pods/exec", "-n", "agg", "--kubeconfig",
        kubeconfig.toString());
    assertThat(exec.exitCode()).as(exec.all()).isZero();
    assertThat(exec.out()).containsPattern("ServiceAccount editor +agg +agg +RoleBinding agg/editor +ClusterRole edit ")
        .contains("(in ClusterRole system:aggregate-to-edit)");
    // ... and widgets from ours, which only its label joins to `edit`
    CliRun widgets = CliRun.run("cluster", "who-can", "delete", "widgets.example.com", "-n", "agg", "--kubeconfig",
        kubeconfig.toString());
    assertThat(widgets.exitCode()).as(widgets.all()).isZero();
    assertThat(widgets.out()).containsPattern("ServiceAccount editor +agg +agg +RoleBinding agg/editor +ClusterRole edit ")
        .contains("(in ClusterRole agg-widgets)");
    CliRun elsewhere = CliRun.run("cluster", "who-can", "delete", "widgets.example.com", "-n", "shop", "--kubeconfig",
        kubeconfig.toString());
    assertThat(elsewhere.exitCode()).as(elsewhere.all()).isZero();
    assertThat(elsewhere.out()).doesNotContain("agg/editor").contains("Who can delete widgets (API group example.com) in namespace shop");
  }

  @Test
  void whoCanLearnsFromDiscoveryWhichCustomResourcesNoRoleBindingGrants() {
    CliRun clusterScoped = CliRun.run("cluster", "who-can", "delete", "clusterwidgets.example.com", "--kubeconfig",
        kubeconfig.toString());
    assertThat(clusterScoped.exitCode()).as(clusterScoped.all()).isZero();
    assertThat(clusterScoped.out()).contains("ClusterRoleBinding kapas-it-wildcard").doesNotContain("owners");
    CliRun namespaced = CliRun.run("cluster", "who-can", "delete", "widgets.example.com", "--kubeconfig",
        kubeconfig.toString());
    assertThat(namespaced.out()).as(namespaced.all()).containsPattern("Group owners-team +- +owners +RoleBinding owners/owners");
  }

  @Test
  void theUpstreamBootstrapRolesMakeNoNoise() {
    CliRun live = cluster("-f", "json");
    for (JsonNode f : JSON.readTree(live.out()).get("findings")) {
      assertThat(f.get("object").get("name").asString()).as(f.toString()).doesNotStartWith("system:");
    }
  }

  /**
   * As in a pod: no kubeconfig, KUBERNETES_SERVICE_HOST/PORT, and the pod's ServiceAccount token
   * (a real token the server issued for kapas-scanner; fabric8's settings point at its file and
   * the CA, since this test cannot write /var/run/secrets). kapas runs as its own process, as the
   * environment is the process's.
   */
  @Test
  void inAPodItScansAsItsServiceAccount() throws Exception {
    String token;
    try (KubernetesClient admin = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(null, kubeconfig.toFile())).build()) {
      token = admin.serviceAccounts().inNamespace("kapas").withName("kapas-scanner")
          .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
              .withNewSpec().withExpirationSeconds(3600L).endSpec().build())
          .getStatus().getToken();
    }
    Path tokenFile = tmp.resolve("pod/token");
    Files.createDirectories(tokenFile.getParent());
    Files.writeString(tokenFile, token);
    java.net.URI server = java.net.URI.create(env.get("APISERVER_URL"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", "target/kapas.jar", "cluster", "--no-secrets", "-f", "json");
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", tokenFile.getParent().toString());
    pb.environment().put("KUBERNETES_SERVICE_HOST", server.getHost());
    pb.environment().put("KUBERNETES_SERVICE_PORT", String.valueOf(server.getPort()));
    pb.environment().put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", tokenFile.toString());
    pb.environment().put("KUBERNETES_CERTS_CA_FILE", env.get("APISERVER_CA"));
    pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(JSON.readTree(out).get("errors")).as(out).isEmpty();
    assertThat(out).contains("cluster/in-cluster/Deployment/shop/web").doesNotContain(token);
    // the same findings as through the admin's kubeconfig, where the server's version is named after its context
    Set<String> inPod = new TreeSet<>();
    findings(out, false, null).forEach(f -> inPod.add(f.replace("ServerVersion//in-cluster ", "ServerVersion//local ")));
    assertThat(inPod).isEqualTo(findings(cluster("--no-secrets", "-f", "json").out(), false, null));
  }

  @Test
  void anUnreachableServerIsOneLine() throws IOException {
    Path gone = tmp.resolve("gone-kubeconfig");
    Files.writeString(gone, Files.readString(kubeconfig).replace(env.get("APISERVER_URL"),
        "https://127.0.0.1:" + KubeApiServer.freePort()));
    CliRun run = CliRun.run("cluster", "--kubeconfig", gone.toString(), "--timeout", "5");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("cannot read the cluster at https://127.0.0.1:");
    assertThat(run.all()).doesNotContain("\tat ");
  }
}

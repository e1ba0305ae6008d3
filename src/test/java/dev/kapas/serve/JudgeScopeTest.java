package dev.kapas.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cel.CelRules;
import dev.kapas.engine.Engine;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.Config;
import dev.kapas.policy.ConfigLoader;
import dev.kapas.policy.Framework;
import dev.kapas.policy.Policy;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import dev.kapas.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kapas serve judges an admission request's object alone, among the cached objects that can
 * change findings about it; this checks that it reports exactly what a full scan of the cache
 * with the object in it reports about the object. The cache is a quarter of the bench corpus
 * mixed-10k (bench/generate.py: workloads, Services, RBAC, NetworkPolicies, Namespaces,
 * ServiceAccounts in realistic mixes), judged by every built-in rule plus a custom rule that
 * reads its params from a ConfigMap of another namespace; the objects are cached objects of
 * every kind sent again, and new ones that cross-object rules judge.
 */
class JudgeScopeTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
  @TempDir
  static Path tmp;
  private static List<KubeObject> cache;
  private static Engine engine;
  private static Judge judge;
  private static Config config;
  private static RuleCatalog catalog;

  @BeforeAll
  static void corpus() throws Exception {
    TestServer.require(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
    Process p = new ProcessBuilder("python3", "bench/generate.py", "mixed-10k", "--out", tmp.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("generate.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(Files.readString(tmp.resolve("generate.log")))
        .isTrue();
    List<String> dirs;
    try (Stream<Path> list = Files.list(tmp.resolve("mixed-10k"))) {
      dirs = list.map(Path::toString).sorted().limit(6).toList();
    }
    cache = new ArrayList<>(new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(dirs, Progress.NONE).objects());
    // a RoleBinding of one namespace that grants a ServiceAccount of another rights (see the new pod below)
    List<String> namespaces = cache.stream().map(KubeObject::namespace).filter(n -> !n.isEmpty()).distinct().toList();
    cache.add(parse("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: robot-reads, namespace: %s}
        rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
        """.formatted(namespaces.get(1))));
    cache.add(parse("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: robot-reads, namespace: %s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: robot-reads}
        subjects: [{kind: ServiceAccount, name: robot, namespace: %s}]
        """.formatted(namespaces.get(1), namespaces.get(0))));
    KubeObject params = cache.stream().filter(o -> o.kind().equals("ConfigMap")).reduce((a, b) -> b).orElseThrow();
    Path cfg = tmp.resolve(".kapas.yaml");
    Files.writeString(cfg, """
        customRules:
          - id: custom.params-from-elsewhere
            title: Deployments are judged with params from another namespace
            match: {kinds: [Deployment]}
            paramsFrom: {kind: ConfigMap, namespace: %s, name: %s}
            validations:
              - expression: "size(params.data) > 100"
                messageExpression: "'params ' + string(size(params.data))"
        """.formatted(params.namespace(), params.name()), StandardCharsets.UTF_8);
    config = new ConfigLoader(RuleCatalog.builtIn()).load(cfg);
    catalog = RuleCatalog.builtIn().plus(CelRules.compile(config.customRules()));
    engine = new Engine(catalog.all(), new Engine.Settings(PssVersion.LATEST, Framework.FOUR_C.pssLevel(), Map.of()));
    judge = new Judge(catalog, config, engine);
  }

  /** What a full scan of the cache with {@code incoming} in it (its cached copy replaced) reports about it. */
  private static List<Finding> fullScan(KubeObject incoming) {
    List<KubeObject> objects = new ArrayList<>();
    for (KubeObject o : cache) {
      if (!Scope.sameObject(o, incoming)) {
        objects.add(o);
      }
    }
    objects.add(incoming);
    Inventory inventory = new Inventory(objects, List.of(), List.of());
    List<Finding> about = engine.run(inventory).findings().stream()
        .filter(f -> f.objectKey().equals(incoming.key())).toList();
    return sorted(new Policy(config, catalog, TODAY).apply(about, inventory).findings().stream()
        .filter(f -> !f.suppressed()).toList());
  }

  private static List<Finding> sorted(List<Finding> findings) {
    return findings.stream().sorted(Comparator.comparing(Finding::toString)).toList();
  }

  private static KubeObject parse(String yaml) throws java.io.IOException {
    Path file = Files.createTempFile(tmp, "incoming", ".yaml");
    Files.writeString(file, yaml);
    List<KubeObject> read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(file.toString()), Progress.NONE).objects();
    assertThat(read).hasSize(1);
    return read.get(0);
  }

  @Test
  void cachedObjectsOfEveryKindSentAgainGetWhatAFullScanReports() {
    Scope scope = new Scope(cache);
    Map<String, List<KubeObject>> byKind = new LinkedHashMap<>();
    cache.forEach(o -> byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o));
    assertThat(byKind.keySet()).contains("Pod", "Deployment", "Service", "NetworkPolicy", "ServiceAccount", "Role",
        "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Namespace");
    int withFindings = 0;
    for (List<KubeObject> ofKind : byKind.values()) {
      for (KubeObject incoming : List.of(ofKind.get(0), ofKind.get(ofKind.size() - 1))) {
        List<Finding> expected = fullScan(incoming);
        assertThat(sorted(judge.judge(incoming, scope, TODAY))).as(incoming.ref().display()).isEqualTo(expected);
        withFindings += expected.isEmpty() ? 0 : 1;
      }
    }
    assertThat(withFindings).as("objects with findings").isGreaterThan(10);
  }

  @Test
  void newObjectsThatCrossObjectRulesJudgeGetWhatAFullScanReports() throws Exception {
    Scope scope = new Scope(cache);
    String ns = cache.stream().map(KubeObject::namespace).filter(n -> !n.isEmpty()).findFirst().orElseThrow();
    List<KubeObject> incoming = List.of(
        parse("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: admin-for-default, namespace: %s}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: default, namespace: %s}]
            """.formatted(ns, ns)),
        parse("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reads-secrets, namespace: %s}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
            """.formatted(ns)),
        parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: new-pod, namespace: %s, labels: {app: new}}
            spec:
              serviceAccountName: robot
              containers: [{name: c, image: "nginx:1.25", securityContext: {privileged: true}}]
            """.formatted(ns)),
        parse("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: %s}
            """.formatted(ns)),
        parse("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-all, namespace: %s}
            spec: {podSelector: {}, ingress: [{}], policyTypes: [Ingress]}
            """.formatted(ns)),
        parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: new-service, namespace: %s}
            spec: {type: NodePort, selector: {app: new}, ports: [{port: 80, nodePort: 30080}]}
            """.formatted(ns)),
        parse("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: new-deployment, namespace: %s}
            spec:
              selector: {matchLabels: {app: d}}
              template:
                metadata: {labels: {app: d}}
                spec: {containers: [{name: c, image: "nginx:latest"}]}
            """.formatted(ns)));
    for (KubeObject o : incoming) {
      List<Finding> expected = fullScan(o);
      assertThat(expected).as(o.ref().display() + " has findings").isNotEmpty();
      assertThat(sorted(judge.judge(o, scope, TODAY))).as(o.ref().display()).isEqualTo(expected);
    }
    // the deployment was judged with the params of another namespace's ConfigMap
    assertThat(fullScan(incoming.get(6))).anyMatch(f -> f.ruleId().equals("custom.params-from-elsewhere")
        && f.message().startsWith("params "));
    // the pod's ServiceAccount holds rights through the other namespace's RoleBinding: it needs its token
    assertThat(fullScan(incoming.get(2))).isNotEmpty()
        .noneMatch(f -> f.ruleId().equals("cluster.automount-sa-token"));
    assertThat(judge.judge(incoming.get(2), new Scope(cache.subList(0, cache.size() - 1)), TODAY))
        .as("without that binding the token is not needed").anyMatch(f -> f.ruleId().equals("cluster.automount-sa-token"));
    // and a pod among far fewer objects than the cache holds
    assertThat(scope.around(incoming.get(2), List.of()).size()).isLessThan(cache.size() / 2);
  }

  @Test
  void anIndexUpdatedObjectByObjectJudgesAsOneMadeAfresh() throws Exception {
    List<String> namespaces = cache.stream().map(KubeObject::namespace).filter(n -> !n.isEmpty()).distinct().toList();
    String ns = namespaces.get(0);
    int half = cache.size() / 2;
    // the index as the informers first listed the cache: half of it
    Scope updated = new Scope(cache.subList(0, half));
    KubeObject pod = cache.stream().filter(o -> o.kind().equals("Pod")).findFirst().orElseThrow();
    judge.judge(pod, updated, TODAY);  // requests between the changes: the RBAC graph is made, then outdated
    Map<String, KubeObject> now = new LinkedHashMap<>();
    cache.subList(0, half).forEach(o -> now.put(key(o), o));
    // adds: the other half, one by one
    for (KubeObject o : cache.subList(half, cache.size())) {
      updated.put(o);
      now.put(key(o), o);
    }
    judge.judge(pod, updated, TODAY);
    // deletes: the RoleBinding that gave robot rights (its pods need no token now), every fifth
    // object (robot-reads's Role kept), and the NetworkPolicies of the namespace
    updated.remove("RoleBinding", namespaces.get(1), "robot-reads");
    assertThat(now.remove(Scope.key("RoleBinding", namespaces.get(1), "robot-reads"))).isNotNull();
    judge.judge(pod, updated, TODAY);
    int deleted = 0;
    for (int i = 0; i < cache.size(); i++) {
      KubeObject o = cache.get(i);
      if (i % 5 == 3 && !o.name().equals("robot-reads") || o.kind().equals("NetworkPolicy") && o.namespace().equals(ns)) {
        updated.remove(o.kind(), o.namespace(), o.name());
        deleted += now.remove(key(o)) != null ? 1 : 0;
      }
    }
    assertThat(deleted).isGreaterThan(cache.size() / 6);
    KubeObject robotPod = newPod(ns, "robot");
    assertThat(sorted(judge.judge(robotPod, updated, TODAY))).as("after the deletes")
        .isEqualTo(sorted(judge.judge(robotPod, new Scope(now.values()), TODAY)))
        .anyMatch(f -> f.ruleId().equals("cluster.automount-sa-token"));
    // updates (or an add, where the corpus has no such object): the namespace labelled, a new
    // RoleBinding that gives a ServiceAccount of the namespace rights (its pods need their token)
    List<KubeObject> changed = List.of(
        parse("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: %s, labels: {pod-security.kubernetes.io/enforce: privileged}}
            """.formatted(ns)),
        parse("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: helper-reads, namespace: %s}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: robot-reads}
            subjects: [{kind: ServiceAccount, name: helper, namespace: %s}]
            """.formatted(namespaces.get(1), ns)));
    for (KubeObject o : changed) {
      updated.put(o);
      now.put(key(o), o);
    }
    List<KubeObject> shuffled = new ArrayList<>(now.values());
    java.util.Collections.shuffle(shuffled, new java.util.Random(17));
    Scope fresh = new Scope(shuffled);
    Scope before = new Scope(cache);
    Map<String, List<KubeObject>> byKind = new LinkedHashMap<>();
    now.values().forEach(o -> byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o));
    List<KubeObject> incoming = new ArrayList<>();
    byKind.values().forEach(ofKind -> incoming.addAll(List.of(ofKind.get(0), ofKind.get(ofKind.size() - 1))));
    incoming.addAll(changed);
    incoming.addAll(List.of(robotPod, newPod(ns, "helper")));
    int differ = 0;
    for (KubeObject o : incoming) {
      List<Finding> expected = sorted(judge.judge(o, fresh, TODAY));
      assertThat(sorted(judge.judge(o, updated, TODAY))).as(o.ref().display()).isEqualTo(expected);
      assertThat(updated.around(o, List.of())).as(o.ref().display()).containsExactlyElementsOf(fresh.around(o, List.of()));
      differ += expected.equals(sorted(judge.judge(o, before, TODAY))) ? 0 : 1;
    }
    assertThat(differ).as("objects the changes are judged differently").isPositive();
  }

  private static KubeObject newPod(String namespace, String serviceAccount) throws java.io.IOException {
    return parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: new-pod, namespace: %s, labels: {app: new}}
        spec:
          serviceAccountName: %s
          containers: [{name: c, image: "nginx:1.25"}]
        """.formatted(namespace, serviceAccount));
  }

  private static String key(KubeObject o) {
    return Scope.key(o.kind(), o.namespace(), o.name());
  }
}

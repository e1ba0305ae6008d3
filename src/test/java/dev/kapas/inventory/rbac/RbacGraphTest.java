package dev.kapas.inventory.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RbacGraphTest {
  private static final String SHOP = "src/test/resources/rbac/shop.yaml";
  private static final String UPSTREAM = "src/test/resources/rbac/upstream-defaults.yaml";

  static Inventory read(String... paths) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(paths), Progress.NONE);
    assertThat(r.errors()).isEmpty();
    return new Inventory(r.objects(), r.errors(), r.notes());
  }

  private static RbacGraph graph(String yaml) {
    return new Inventory(objects(yaml), List.of(), List.of()).rbac();
  }

  private static List<KubeObject> objects(String yaml) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        YamlTreeReader.Limits.DEFAULT).read(List.of(ManifestSource.STDIN), Progress.NONE);
    assertThat(r.errors()).isEmpty();
    return r.objects();
  }

  private static List<String> who(List<Grant> grants) {
    return grants.stream().map(g -> g.subject().display() + " via " + g.binding().display()).sorted().toList();
  }

  private static List<Finding> rbacFindings(Inventory inventory) {
    List<Rule> rbacRules = RuleCatalog.builtIn().all().stream()
        .filter(r -> r.spec().id().startsWith("cluster.rbac-")).toList();
    assertThat(rbacRules).hasSize(13);
    return new Engine(rbacRules, Engine.Settings.defaults()).run(inventory).findings();
  }

  @Test
  void upstreamDefaultRolesAndBindingsProduceNoRbacFindings() {
    List<KubeObject> defaults = new java.util.ArrayList<>(UpstreamDefaults.read("bootstrap-v1.20.yaml"));
    defaults.addAll(UpstreamDefaults.read("kubeadm.yaml"));
    assertThat(defaults).hasSizeGreaterThan(120).allMatch(UpstreamDefaults::isDefault);
    Inventory inventory = new Inventory(defaults, List.of(), List.of());
    assertThat(rbacFindings(inventory)).extracting(f -> f.ruleId() + " " + f.message()).isEmpty();
    assertThat(inventory.notes()).isEmpty();
  }

  @Test
  void aDefaultsNameOrLabelDoesNotHideABinding() {
    Inventory inventory = new Inventory(objects("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "kubeadm:backdoor"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: Group, name: "system:unauthenticated"}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: system:public-info-viewer
          labels: {kubernetes.io/bootstrapping: rbac-defaults}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: Group, name: "system:unauthenticated"}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: system:discovery
          labels: {kubernetes.io/bootstrapping: rbac-defaults}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: system:discovery
          labels: {kubernetes.io/bootstrapping: rbac-defaults}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
        """), List.of(), List.of());
    assertThat(rbacFindings(inventory)).extracting(f -> f.ruleId() + " " + f.object().display()).containsExactly(
        "cluster.rbac-anonymous-binding ClusterRoleBinding/kubeadm:backdoor",
        "cluster.rbac-anonymous-binding ClusterRoleBinding/system:public-info-viewer",
        "cluster.rbac-secrets-read ClusterRole/system:discovery");
    // the v1.20 binding of system:discovery names system:authenticated only: it is the default
    assertThat(inventory.notes()).extracting(d -> d.line() + " " + d.message()).containsExactly(
        "10 ClusterRoleBinding/system:public-info-viewer has the name of an upstream default but not its content "
            + "(kapas knows " + UpstreamDefaults.KNOWN + "), so it is judged like any other object",
        "18 ClusterRole/system:discovery has the name of an upstream default but not its content "
            + "(kapas knows " + UpstreamDefaults.KNOWN + "), so it is judged like any other object");
  }

  @Test
  void aggregationCollectsComponentRulesTransitively() {
    RbacGraph graph = read(UPSTREAM).rbac();
    Role admin = graph.roles().stream().filter(r -> r.name().equals("admin")).findFirst().orElseThrow();
    Role aggregateToEdit = graph.roles().stream().filter(r -> r.name().equals("system:aggregate-to-edit"))
        .findFirst().orElseThrow();
    // admin <- edit <- system:aggregate-to-edit; the live copy of a component rule is dropped
    assertThat(graph.aggregatedInto(aggregateToEdit)).extracting(Role::name).containsExactlyInAnyOrder("edit", "admin");
    assertThat(admin.rules()).anyMatch(r -> r.declaredIn() == aggregateToEdit.object());
    assertThat(admin.rules().stream().filter(r -> r.declaredIn() == admin.object()))
        .noneMatch(r -> r.resources().contains("pods/attach"));
  }

  @Test
  void roleBindingToClusterRoleGrantsInItsNamespaceOnly() {
    RbacGraph graph = read(SHOP).rbac();
    assertThat(who(graph.whoCan("get", Optional.empty(), "secrets", "", "billing")))
        .containsExactly("Group `billing-team` via RoleBinding `billing/read-secrets`",
            "Group `ops` via ClusterRoleBinding `ops-read-secrets`");
    assertThat(who(graph.whoCan("list", Optional.of(""), "secrets", "", "shop")))
        .containsExactly("Group `ops` via ClusterRoleBinding `ops-read-secrets`");
    assertThat(graph.whoCan("get", Optional.of("apps"), "secrets", "", "")).isEmpty();
    // nodes are cluster-scoped: the RoleBinding in billing does not reach them
    assertThat(who(graph.whoCan("get", Optional.empty(), "nodes", "", "")))
        .containsExactly("Group `ops` via ClusterRoleBinding `ops-read-secrets`");
  }

  @Test
  void subresourcesServiceAccountNamespacesAndAggregatedRules() {
    RbacGraph graph = read(SHOP).rbac();
    List<Grant> exec = graph.whoCan("create", Optional.empty(), "pods", "exec", "shop");
    assertThat(who(exec)).containsExactly("ServiceAccount `shop/web` via RoleBinding `shop/debuggers`",
        "User `alice` via RoleBinding `shop/debuggers`", "User `bob` via ClusterRoleBinding `support`");
    Grant bob = exec.stream().filter(g -> g.subject().name().equals("bob")).findFirst().orElseThrow();
    assertThat(bob.role().name()).isEqualTo("support");
    assertThat(bob.rule().declaredIn().name()).isEqualTo("support-exec");
    assertThat(bob.rule().resourceNames()).containsExactly("toolbox");
    assertThat(bob.rule().at().path()).isEqualTo("rules[0]");
    assertThat(graph.whoCan("create", Optional.empty(), "pods", "", "shop")).isEmpty();
    assertThat(graph.whoCan("create", Optional.empty(), "pods", "exec", "billing"))
        .extracting(g -> g.subject().name()).containsExactly("bob");
    List<Grant> web = graph.grantsTo(new Subject(Subject.SERVICE_ACCOUNT, "web", "shop", null));
    assertThat(web).hasSize(2).allMatch(g -> g.scope().equals("shop"));
    Subject webAccount = web.get(0).subject();
    assertThat(graph.verbs(webAccount, "shop", Optional.empty(), "pods", "")).containsExactly("get", "list");
    assertThat(graph.verbs(webAccount, "shop", Optional.empty(), "pods", "exec")).containsExactly("create");
    assertThat(graph.verbs(webAccount, "billing", Optional.empty(), "pods", "")).isEmpty();
    Subject ops = new Subject(Subject.GROUP, "ops", "", null);
    assertThat(graph.verbs(ops, "", Optional.of(""), "secrets", "")).containsExactly("get", "list");
  }

  @Test
  void boundRolesNameTheirHolders() {
    RbacGraph graph = read(SHOP).rbac();
    Role supportExec = graph.roles().stream().filter(r -> r.name().equals("support-exec")).findFirst().orElseThrow();
    assertThat(graph.bindingsOf(supportExec)).isEmpty();
    assertThat(graph.holdersOf(supportExec)).extracting(Binding::name).containsExactly("support");
  }

  @Test
  void aNamespaceIsGrantedInsideItselfButNotItsCollection() {
    RbacGraph graph = graph("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: keeper, namespace: shop}
        rules:
        - {apiGroups: [""], resources: [namespaces], verbs: [get, delete, list]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: keepers, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: keeper}
        subjects:
        - {kind: User, name: nsadmin, apiGroup: rbac.authorization.k8s.io}
        """);
    // DELETE /api/v1/namespaces/shop is a request in namespace shop; GET /api/v1/namespaces is in none
    assertThat(who(graph.whoCan("delete", Optional.of(""), "namespaces", "", "shop")))
        .containsExactly("User `nsadmin` via RoleBinding `shop/keepers`");
    assertThat(graph.whoCan("delete", Optional.of(""), "namespaces", "", "billing")).isEmpty();
    assertThat(graph.whoCan("list", Optional.of(""), "namespaces", "", "shop")).isEmpty();
    Subject nsadmin = new Subject(Subject.USER, "nsadmin", "", null);
    assertThat(graph.verbs(nsadmin, "shop", Optional.of(""), "namespaces", "")).containsExactly("get", "delete");
  }

  @Test
  void aRoleBindingGrantsNoCustomResourceThatACrdOrTheServerSaysIsClusterScoped() {
    String yaml = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: owner, namespace: team-a}
        rules:
        - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: owners, namespace: team-a}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: owner}
        subjects:
        - {kind: Group, name: team-a, apiGroup: rbac.authorization.k8s.io}
        """;
    String crds = """
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: clusterissuers.cert-manager.io}
        spec:
          group: cert-manager.io
          scope: Cluster
          names: {plural: clusterissuers, kind: ClusterIssuer}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: issuers.cert-manager.io}
        spec:
          group: cert-manager.io
          scope: Namespaced
          names: {plural: issuers, kind: Issuer}
        """;
    String owners = "Group `team-a` via RoleBinding `team-a/owners`";
    RbacGraph unknown = graph(yaml);
    assertThat(who(unknown.whoCan("delete", Optional.of("cert-manager.io"), "clusterissuers", "", ""))).contains(owners);

    RbacGraph withCrds = graph(yaml + crds);
    assertThat(withCrds.whoCan("delete", Optional.of("cert-manager.io"), "clusterissuers", "", "")).isEmpty();
    assertThat(withCrds.whoCan("delete", Optional.empty(), "clusterissuers", "", "team-a")).isEmpty();
    assertThat(who(withCrds.whoCan("delete", Optional.of("cert-manager.io"), "issuers", "", "team-a"))).contains(owners);
    // the same plural in another group is not that resource
    assertThat(who(withCrds.whoCan("delete", Optional.of("example.com"), "clusterissuers", "", ""))).contains(owners);

    RbacGraph discovered = RbacGraph.of(objects(yaml), Set.of("clusterissuers.cert-manager.io", "nodes."));
    assertThat(discovered.whoCan("delete", Optional.of("cert-manager.io"), "clusterissuers", "", "")).isEmpty();
    assertThat(who(discovered.whoCan("delete", Optional.of("cert-manager.io"), "issuers", "", ""))).contains(owners);
  }

  @Test
  void anAggregatingRoleGrantsItsComponentsRulesNotItsOwn() {
    RbacGraph graph = graph("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: monitoring}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {example.com/aggregate-to-monitoring: "true"}
        rules:
        - {apiGroups: [""], resources: [secrets], verbs: [delete]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: monitoring-pods
          labels: {example.com/aggregate-to-monitoring: "true"}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: monitors}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
        subjects:
        - {kind: User, name: mon, apiGroup: rbac.authorization.k8s.io}
        """);
    // the aggregation controller overwrites the rules written in `monitoring` with its components'
    assertThat(graph.whoCan("delete", Optional.of(""), "secrets", "", "")).isEmpty();
    assertThat(who(graph.whoCan("get", Optional.of(""), "pods", "", "")))
        .containsExactly("User `mon` via ClusterRoleBinding `monitors`");
  }

  /** Aggregation selectors are label selectors as the API server reads them: a null value is "", and one it refuses matches nothing. */
  @Test
  void aggregationSelectorsMatchAsTheApiServerReadsThem() {
    RbacGraph graph = graph("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: by-empty-value}
        aggregationRule:
          clusterRoleSelectors:
          - matchExpressions: [{key: example.com/tier, operator: In, values: [null]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: refused}
        aggregationRule:
          clusterRoleSelectors:
          - matchExpressions: [{key: example.com/tier, operator: NotIn}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: component
          labels: {example.com/tier: ""}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [get]}
        """);
    Role component = graph.roles().stream().filter(r -> r.name().equals("component")).findFirst().orElseThrow();
    assertThat(graph.aggregatedInto(component)).extracting(Role::name).containsExactly("by-empty-value");
  }
}

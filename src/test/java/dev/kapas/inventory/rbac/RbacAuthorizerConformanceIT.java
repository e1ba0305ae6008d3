package dev.kapas.inventory.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import dev.kapas.inventory.Inventory;
import dev.kapas.source.Progress;
import dev.kapas.source.cluster.ClusterSource;
import dev.kapas.source.cluster.Connection;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import dev.kapas.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kapas's RBAC graph against the RBAC authorizer of a real kube-apiserver v1.20: for a grid of
 * (identity, verb, resource, namespace, name) and (identity, verb, URL), the server's
 * SubjectAccessReview answer must be what kapas's who-can grants say for the same identity,
 * both for the graph read offline from the YAML and for the graph listed from the server.
 *
 * <p>Two things the server has that the YAML has not are accounted for here. The server runs no
 * kube-controller-manager, so this test plays its ClusterRole aggregation controller (each
 * aggregating ClusterRole's rules become the rules of the ClusterRoles its selectors match, as
 * the server lists them, until nothing changes). And the server's bootstrap policy grants some
 * rights to every authenticated user: the offline graph is only compared on the questions the
 * same server answered "no" to before the test's objects were loaded (RBAC only adds rights,
 * so there the answer comes from the test's objects alone). The live graph is compared on all.
 */
class RbacAuthorizerConformanceIT {
  private static final Path OBJECTS = Path.of("src/test/resources/rbac-conformance/objects.yaml");
  private static final long SEED = 20_201_208L;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> RBAC_KINDS = Set.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final List<String> NAMESPACES = List.of("shop", "billing", "default");
  /** Questions also put to the two who-can commands: those whose API group RESOURCE can name (not the core group). */
  private static final List<Question> ON_THE_COMMAND_LINE = List.of(
      Question.resource("update", "apps", "deployments/scale", "billing", ""),
      Question.resource("delete", "apps", "deployments", "shop", ""),
      Question.resource("create", "batch", "jobs", "default", ""),
      Question.resource("escalate", RBAC_GROUP, "clusterroles", "", ""),
      Question.resource("get", "example.com", "widgets", "", ""),
      Question.url("get", "/debug/pprof"),
      Question.url("get", "/healthz/etcd"));

  @TempDir
  static Path tmp;
  private static Map<String, String> env;
  private static Path generated;
  private static List<Case> cases;
  /** The server's answers before the test's objects were loaded: its bootstrap policy alone. */
  private static Map<Case, Boolean> bootstrap;
  private static Map<Case, Boolean> server;

  /** Who asks, as the authenticator would hand it to the authorizer. */
  record Identity(String user, List<String> groups) {
    static Identity person(String name, String... groups) {
      List<String> all = new ArrayList<>(List.of(groups));
      all.add("system:authenticated");
      return new Identity(name, List.copyOf(all));
    }

    static Identity serviceAccount(String namespace, String name) {
      return new Identity("system:serviceaccount:" + namespace + ":" + name,
          List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"));
    }

    boolean is(String kind, String name, String namespace) {
      return switch (kind) {
        case Subject.USER -> user.equals(name);
        case Subject.GROUP -> groups.contains(name);
        case Subject.SERVICE_ACCOUNT -> user.equals("system:serviceaccount:" + namespace + ":" + name);
        default -> false;
      };
    }
  }

  /** A resource request (namespace empty: cluster-wide; name empty: no object named) or, with a url, a non-resource one. */
  record Question(String verb, String group, String resource, String subresource, String namespace, String name,
      String url) {
    static Question resource(String verb, String group, String resource, String namespace, String name) {
      int slash = resource.indexOf('/');
      return new Question(verb, group, slash < 0 ? resource : resource.substring(0, slash),
          slash < 0 ? "" : resource.substring(slash + 1), namespace, name, "");
    }

    static Question url(String verb, String url) {
      return new Question(verb, "", "", "", "", "", url);
    }

    boolean isUrl() {
      return !url.isEmpty();
    }

    /** As kapas who-can spells RESOURCE: {@code deployments.apps/scale}. */
    String argument() {
      return isUrl() ? url : resource + (group.isEmpty() ? "" : "." + group) + (subresource.isEmpty() ? "" : "/" + subresource);
    }
  }

  record Case(Identity identity, Question question) {
    @Override
    public String toString() {
      Question q = question;
      String what = q.isUrl() ? q.url
          : q.resource + (q.subresource.isEmpty() ? "" : "/" + q.subresource) + " (group `" + q.group + "`)"
              + (q.namespace.isEmpty() ? " cluster-wide" : " in " + q.namespace)
              + (q.name.isEmpty() ? "" : " named " + q.name);
      return identity.user + " " + identity.groups + " " + q.verb + " " + what;
    }
  }

  /** What a who-can grant says, whether read from the graph or from the command's JSON. */
  record Held(String kind, String name, String namespace, String scope, List<String> resourceNames) {
    static Held of(Grant g) {
      Subject s = g.subject();
      return new Held(s.kind(), s.name(), s.namespace(), g.scope(), g.rule().resourceNames());
    }

    /** Whether this grant answers {@code c} with yes, read as the who-can documentation says. */
    boolean allows(Case c) {
      Question q = c.question();
      boolean where = q.isUrl() || !q.namespace().isEmpty() || scope.isEmpty();
      boolean named = resourceNames.isEmpty() || resourceNames.contains(q.name());
      return where && named && c.identity().is(kind, name, namespace);
    }
  }

  @BeforeAll
  static void startAskAndLoad() throws Exception {
    KubeApiServer.assumeBuilt();
    env = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
    generated = tmp.resolve("generated.yaml");
    Files.writeString(generated, Generator.yaml(new Random(SEED)));
    cases = grid();
    try (KubernetesClient admin = KubeApiServer.admin(env)) {
      bootstrap = ask(admin, cases);
      for (Path file : List.of(OBJECTS, generated)) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata o : admin.load(in).items()) {
            if (o instanceof Namespaced && o.getMetadata().getNamespace() == null) {
              o.getMetadata().setNamespace("default"); // as kubectl apply does in a context without a namespace
            }
            admin.resource(o).create();
          }
        }
      }
      aggregateAsTheControllerDoes(admin);
      server = ask(admin, cases);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      KubeApiServer.stop(env);
    }
  }

  @Test
  void theOfflineGraphAnswersAsTheAuthorizer() {
    RbacGraph graph = offlineGraph();
    List<Case> compared = cases.stream().filter(c -> !bootstrap.get(c)).toList();
    assertThat(compared.size()).as("questions the bootstrap policy does not answer").isGreaterThan(cases.size() * 3 / 4);
    assertAgreement("offline (YAML)", compared, c -> kapasAllows(graph, c));
  }

  @Test
  void theLiveGraphAnswersAsTheAuthorizer() throws Exception {
    RbacGraph graph;
    try (Connection c = Connection.open(Optional.of(Path.of(env.get("KUBECONFIG"))), Optional.empty(), Map.of(),
        Duration.ofSeconds(30))) {
      ClusterSource.Result read = new ClusterSource(c.http(), c.server(), c.context(),
          new ClusterSource.Options(List.of(), Set.of(), Duration.ofSeconds(30), 500, 4))
          .only(RBAC_KINDS).read(Progress.NONE);
      assertThat(read.errors()).isEmpty();
      graph = new Inventory(read.objects(), read.errors(), read.notes()).rbac();
    }
    assertAgreement("live (listed from the server)", cases, c -> kapasAllows(graph, c));
  }

  /**
   * kapas rbac who-can and kapas cluster who-can themselves (argument parsing, -n, the JSON
   * answer), for the questions whose API group the RESOURCE argument can name.
   */
  @Test
  void theWhoCanCommandsAnswerAsTheAuthorizer() {
    Map<Question, List<Held>> offline = new LinkedHashMap<>();
    Map<Question, List<Held>> live = new LinkedHashMap<>();
    for (Question q : ON_THE_COMMAND_LINE) {
      List<String> common = new ArrayList<>(List.of("who-can", q.verb(), q.argument(), "-o", "json"));
      if (!q.namespace().isEmpty()) {
        common.addAll(List.of("-n", q.namespace()));
      }
      List<String> rbac = new ArrayList<>(List.of("rbac"));
      rbac.addAll(common);
      rbac.addAll(List.of(OBJECTS.toString(), generated.toString()));
      offline.put(q, held(CliRun.run(rbac.toArray(String[]::new))));
      List<String> cluster = new ArrayList<>(List.of("cluster"));
      cluster.addAll(common);
      cluster.addAll(List.of("--kubeconfig", env.get("KUBECONFIG")));
      live.put(q, held(CliRun.run(cluster.toArray(String[]::new))));
    }
    List<Case> onAsked = cases.stream().filter(c -> ON_THE_COMMAND_LINE.contains(c.question())).toList();
    assertThat(onAsked).hasSize(ON_THE_COMMAND_LINE.size() * identities().size());
    assertAgreement("kapas rbac who-can", onAsked.stream().filter(c -> !bootstrap.get(c)).toList(),
        c -> offline.get(c.question()).stream().anyMatch(h -> h.allows(c)));
    assertAgreement("kapas cluster who-can", onAsked, c -> live.get(c.question()).stream().anyMatch(h -> h.allows(c)));
  }

  private static List<Held> held(CliRun run) {
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Held> out = new ArrayList<>();
    for (JsonNode g : JSON.readTree(run.out()).get("grants")) {
      JsonNode s = g.get("subject");
      List<String> names = new ArrayList<>();
      g.get("rule").get("resourceNames").forEach(n -> names.add(n.asString()));
      out.add(new Held(s.get("kind").asString(), s.get("name").asString(), s.get("namespace").asString(),
          g.get("scope").asString(), names));
    }
    return out;
  }

  private static RbacGraph offlineGraph() {
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(OBJECTS.toString(), generated.toString()), Progress.NONE);
    assertThat(read.errors()).isEmpty();
    return new Inventory(read.objects(), read.errors(), read.notes()).rbac();
  }

  private static boolean kapasAllows(RbacGraph graph, Case c) {
    Question q = c.question();
    List<Grant> grants = q.isUrl() ? graph.whoCanUrl(q.verb(), q.url())
        : graph.whoCan(q.verb(), Optional.of(q.group()), q.resource(), q.subresource(), q.namespace());
    return grants.stream().map(Held::of).anyMatch(h -> h.allows(c));
  }

  private static void assertAgreement(String what, List<Case> compared, Predicate<Case> kapas) {
    List<String> disagreements = new ArrayList<>();
    int allowed = 0;
    for (Case c : compared) {
      boolean expected = server.get(c);
      allowed += expected ? 1 : 0;
      if (kapas.test(c) != expected) {
        disagreements.add((expected ? "server allows, kapas does not: " : "kapas allows, server does not: ") + c);
      }
    }
    // a grid where everything, or nothing, is allowed would show nothing
    assertThat(allowed).as(what + ": questions the server allows").isBetween(compared.size() / 20,
        compared.size() - compared.size() / 20);
    assertThat(disagreements).as(what + ": %d of %d questions answered differently", disagreements.size(),
        compared.size()).isEmpty();
  }

  private static List<Identity> identities() {
    return List.of(Identity.person("alice", "dev-team"), Identity.person("bob"), Identity.person("carol"),
        Identity.person("mon"), Identity.person("root-user"), Identity.person("nsadmin"), Identity.person("ann", "sre"),
        Identity.person("u0", "g0"), Identity.person("u1", "g1"), Identity.person("u2", "g0", "g1"), Identity.person("u3"),
        Identity.serviceAccount("shop", "web"), Identity.serviceAccount("shop", "sa1"),
        Identity.serviceAccount("billing", "batch"), Identity.serviceAccount("billing", "web"),
        Identity.serviceAccount("default", "sa0"), Identity.serviceAccount("default", "runner"));
  }

  /** Every identity asks every question. */
  private static List<Case> grid() {
    List<Question> questions = new ArrayList<>();
    List<String> names = List.of("", "a", "app-config");
    int n = 0;
    for (String[] r : Generator.NAMESPACED) {
      for (String verb : verbsFor(r[1])) {
        for (String ns : List.of("shop", "billing", "default", "")) {
          questions.add(Question.resource(verb, r[0], r[1], ns, names.get(n++ % names.size())));
        }
      }
    }
    for (String[] r : Generator.CLUSTER_SCOPED) {
      for (String verb : verbsFor(r[1])) {
        questions.add(Question.resource(verb, r[0], r[1], "", names.get(n++ % names.size())));
      }
    }
    // a Namespace object is addressed inside itself: GET /api/v1/namespaces/shop is in namespace shop
    // (the questions above ask about the namespaces collection, which no namespace holds)
    for (String ns : NAMESPACES) {
      for (String verb : List.of("get", "delete", "update")) {
        questions.add(Question.resource(verb, "", "namespaces", ns, ns));
      }
    }
    for (String url : List.of("/metrics", "/logs/kube.log", "/logs", "/debug/pprof", "/debug", "/healthz/etcd",
        "/healthz", "/api", "/version", "/openid/v1/jwks")) {
      for (String verb : List.of("get", "post")) {
        questions.add(Question.url(verb, url));
      }
    }
    questions.addAll(ON_THE_COMMAND_LINE);
    List<Case> out = new ArrayList<>();
    for (Question q : questions.stream().distinct().toList()) {
      for (Identity id : identities()) {
        out.add(new Case(id, q));
      }
    }
    return out;
  }

  private static List<String> verbsFor(String resource) {
    return switch (resource) {
      case "users", "serviceaccounts" -> List.of("impersonate", "get");
      case "roles", "clusterroles" -> List.of("escalate", "bind", "get", "create");
      default -> List.of("get", "list", "create", "update", "delete");
    };
  }

  /** The SubjectAccessReview answers for {@code asked}, a few requests in flight at a time. */
  private static Map<Case, Boolean> ask(KubernetesClient admin, List<Case> asked) throws Exception {
    HttpClient http = admin.getHttpClient();
    String url = admin.getMasterUrl().toString().replaceAll("/$", "")
        + "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    Semaphore inFlight = new Semaphore(8);
    Map<Case, CompletableFuture<Boolean>> pending = new LinkedHashMap<>();
    for (Case c : asked) {
      Question q = c.question();
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("user", c.identity().user());
      spec.put("groups", c.identity().groups());
      if (q.isUrl()) {
        spec.put("nonResourceAttributes", Map.of("verb", q.verb(), "path", q.url()));
      } else {
        spec.put("resourceAttributes", Map.of("verb", q.verb(), "group", q.group(), "resource", q.resource(),
            "subresource", q.subresource(), "namespace", q.namespace(), "name", q.name()));
      }
      String body = JSON.writeValueAsString(Map.of("apiVersion", "authorization.k8s.io/v1",
          "kind", "SubjectAccessReview", "spec", spec));
      HttpRequest request = http.newHttpRequestBuilder().uri(url).post("application/json", body).build();
      inFlight.acquire();
      pending.put(c, http.sendAsync(request, String.class).whenComplete((r, e) -> inFlight.release())
          .thenApply(r -> {
            assertThat(r.code()).as(r.body()).isEqualTo(201);
            return JSON.readTree(r.body()).get("status").path("allowed").asBoolean(false);
          }));
    }
    Map<Case, Boolean> out = new LinkedHashMap<>();
    for (Map.Entry<Case, CompletableFuture<Boolean>> e : pending.entrySet()) {
      out.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * What kube-controller-manager's ClusterRole aggregation controller does: an aggregating
   * ClusterRole's rules are replaced by the rules of the ClusterRoles its selectors match (the
   * server evaluates the selectors), without duplicates, repeated until nothing changes.
   */
  private static void aggregateAsTheControllerDoes(KubernetesClient admin) {
    for (int round = 0; round < 10; round++) {
      boolean changed = false;
      for (ClusterRole role : admin.rbac().clusterRoles().list().getItems()) {
        if (role.getAggregationRule() == null) {
          continue;
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (LabelSelector selector : role.getAggregationRule().getClusterRoleSelectors()) {
          List<ClusterRole> matched = new ArrayList<>(admin.rbac().clusterRoles().withLabelSelector(selector).list()
              .getItems());
          matched.sort(Comparator.comparing(r -> r.getMetadata().getName()));
          for (ClusterRole m : matched) {
            if (!m.getMetadata().getName().equals(role.getMetadata().getName())) {
              Optional.ofNullable(m.getRules()).orElse(List.of()).stream().filter(r -> !rules.contains(r)).forEach(rules::add);
            }
          }
        }
        if (!rules.equals(Optional.ofNullable(role.getRules()).orElse(List.of()))) {
          role.setRules(rules);
          admin.rbac().clusterRoles().resource(role).update();
          changed = true;
        }
      }
      if (!changed) {
        return;
      }
    }
    throw new AssertionError("ClusterRole aggregation did not settle in 10 rounds");
  }

  /** Roles, ClusterRoles and bindings drawn from the pools the grid asks about. */
  static final class Generator {
    /** API group and resource[/subresource] of the namespaced resources asked about. */
    static final List<String[]> NAMESPACED = List.of(new String[] {"", "pods"}, new String[] {"", "pods/exec"},
        new String[] {"", "pods/log"}, new String[] {"apps", "deployments"}, new String[] {"apps", "deployments/scale"},
        new String[] {"", "replicationcontrollers/scale"}, new String[] {"", "secrets"}, new String[] {"", "configmaps"},
        new String[] {"", "serviceaccounts"}, new String[] {"", "serviceaccounts/token"},
        new String[] {"batch", "jobs"}, new String[] {RBAC_GROUP, "roles"}, new String[] {"example.com", "widgets"},
        new String[] {"example.com", "widgets/status"});
    static final List<String[]> CLUSTER_SCOPED = List.of(new String[] {"", "nodes"}, new String[] {"", "nodes/proxy"},
        new String[] {RBAC_GROUP, "clusterroles"}, new String[] {"", "users"}, new String[] {"", "namespaces"},
        new String[] {"authorization.k8s.io", "selfsubjectaccessreviews"});
    private static final List<String> VERBS = List.of("get", "list", "create", "update", "delete", "patch",
        "impersonate", "escalate", "bind", "*");
    private static final List<String> GROUPS = List.of("", "", "apps", "batch", RBAC_GROUP, "example.com", "*");
    private static final List<String> RESOURCES = List.of("pods", "pods/exec", "pods/log", "pods/*", "deployments",
        "deployments/scale", "*/scale", "replicationcontrollers/scale", "secrets", "configmaps", "serviceaccounts",
        "serviceaccounts/token", "jobs", "roles", "clusterroles", "widgets", "widgets/status", "*/status", "nodes",
        "nodes/proxy", "users", "namespaces", "*");
    private static final List<String> URLS = List.of("/metrics", "/logs/*", "/logs", "/debug/*", "/healthz", "*");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "u0", "u1", "u2", "u3");
    private static final List<String> GROUP_SUBJECTS = List.of("g0", "g1", "dev-team", "sre", "g0", "g1",
        "system:authenticated", "system:serviceaccounts", "system:serviceaccounts:shop");
    private static final List<String> ACCOUNTS = List.of("shop/web", "shop/sa1", "billing/batch", "billing/web",
        "default/sa0", "default/runner", "/web", "/sa1");
    private static final List<String> TIERS = List.of("gold", "silver", "bronze");

    static String yaml(Random random) {
      StringBuilder y = new StringBuilder();
      List<String> clusterRoles = new ArrayList<>(List.of("no-such-cluster-role", "pod-reader", "monitoring"));
      for (int i = 0; i < 14; i++) {
        String name = "gen-cr-" + i;
        clusterRoles.add(name);
        String labels = random.nextInt(3) == 0 ? ""
            : "  labels: {kapas.test/generated: \"true\", kapas.test/tier: " + pick(random, TIERS) + "}\n";
        y.append(head("ClusterRole", name, "")).append(labels).append(rules(random, true));
      }
      for (int i = 0; i < 3; i++) {
        String name = "gen-agg-" + i;
        clusterRoles.add(name);
        String tier = TIERS.get(i);
        String expression = switch (i) {
          case 0 -> "{key: kapas.test/tier, operator: In, values: [" + tier + "]}";
          case 1 -> "{key: kapas.test/tier, operator: NotIn, values: [" + tier + "]}";
          default -> "{key: kapas.test/tier, operator: Exists}";
        };
        // kapas.test/generated keeps the server's own ClusterRoles out of the selection
        y.append(head("ClusterRole", name, "")).append("aggregationRule:\n  clusterRoleSelectors:\n")
            .append("  - matchLabels: {kapas.test/generated: \"true\"}\n    matchExpressions:\n    - ")
            .append(expression).append('\n');
        if (random.nextBoolean()) {
          y.append(rules(random, true));
        }
      }
      List<String> roles = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String ns = pick(random, NAMESPACES);
        roles.add(ns + "/gen-role-" + i);
        y.append(head("Role", "gen-role-" + i, ns)).append(rules(random, false));
      }
      for (int i = 0; i < 24; i++) {
        String ns = pick(random, NAMESPACES);
        if (random.nextInt(3) == 0) {
          y.append(head("ClusterRoleBinding", "gen-crb-" + i, ""))
              .append(roleRef("ClusterRole", pick(random, clusterRoles))).append(subjects(random, false));
        } else {
          List<String> here = roles.stream().filter(r -> r.startsWith(ns + "/")).map(r -> r.substring(ns.length() + 1))
              .toList();
          boolean role = !here.isEmpty() && random.nextBoolean();
          y.append(head("RoleBinding", "gen-rb-" + i, ns))
              .append(role ? roleRef("Role", pick(random, here)) : roleRef("ClusterRole", pick(random, clusterRoles)))
              .append(subjects(random, true));
        }
      }
      return y.toString();
    }

    private static String head(String kind, String name, String namespace) {
      return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
          + (namespace.isEmpty() ? "" : "  namespace: " + namespace + "\n");
    }

    private static String rules(Random random, boolean cluster) {
      StringBuilder y = new StringBuilder("rules:\n");
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        if (cluster && random.nextInt(5) == 0) {
          y.append("- nonResourceURLs: ").append(list(some(random, URLS, 2)))
              .append("\n  verbs: ").append(list(some(random, List.of("get", "post", "*"), 2))).append('\n');
          continue;
        }
        y.append("- apiGroups: ").append(list(some(random, GROUPS, 2)))
            .append("\n  resources: ").append(list(some(random, RESOURCES, 3)))
            .append("\n  verbs: ").append(list(some(random, VERBS, 3))).append('\n');
        if (random.nextInt(4) == 0) {
          y.append("  resourceNames: ").append(list(some(random, List.of("a", "b", "app-config"), 2))).append('\n');
        }
      }
      return y.toString();
    }

    private static String roleRef(String kind, String name) {
      return "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: " + kind + ", name: " + name + "}\n";
    }

    private static String subjects(Random random, boolean inNamespace) {
      StringBuilder y = new StringBuilder("subjects:\n");
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        switch (random.nextInt(3)) {
          case 0 -> y.append("- {kind: User, apiGroup: rbac.authorization.k8s.io, name: \"")
              .append(pick(random, USERS)).append("\"}\n");
          case 1 -> y.append("- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: \"")
              .append(pick(random, GROUP_SUBJECTS)).append("\"}\n");
          default -> {
            String account = pick(random, ACCOUNTS);
            String ns = account.substring(0, account.indexOf('/'));
            if (ns.isEmpty() && !inNamespace) {
              ns = "default"; // a ClusterRoleBinding must name the ServiceAccount's namespace
            }
            y.append("- {kind: ServiceAccount, name: ").append(account.substring(account.indexOf('/') + 1))
                .append(ns.isEmpty() ? "" : ", namespace: " + ns).append("}\n");
          }
        }
      }
      return y.toString();
    }

    private static <T> T pick(Random random, List<T> from) {
      return from.get(random.nextInt(from.size()));
    }

    /** One to {@code max} distinct items. */
    private static List<String> some(Random random, List<String> from, int max) {
      List<String> out = new ArrayList<>();
      int count = 1 + random.nextInt(max);
      for (int i = 0; i < count; i++) {
        String s = pick(random, from);
        if (!out.contains(s)) {
          out.add(s);
        }
      }
      return out;
    }

    private static String list(List<String> items) {
      return items.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
  }
}

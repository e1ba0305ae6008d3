package dev.kapas.inventory;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Peer;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.PodView;
import dev.kapas.testing.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * kapas's label-selector matching against a real kube-apiserver v1.20. A seeded generator writes
 * namespaces and pods with varied labels, and NetworkPolicies whose {@code podSelector} and
 * peer {@code namespaceSelector} are a generated selector (matchLabels, matchExpressions with the
 * four operators, empty and absent selectors, and some the API refuses). The same YAML is read by
 * kapas as a scan of stdin does, and sent to the server as kubectl would (YAML turned into JSON).
 *
 * <p>The server answers in two steps. Creating the NetworkPolicy validates the selector (422 when
 * refused) and normalises it (an absent or null podSelector is stored as {@code {}}, a null value
 * as ""). The stored selector, written in the query syntax as {@code
 * metav1.LabelSelectorAsSelector(s).String()} writes it, is then the {@code labelSelector} of a
 * list of the policy's namespace's pods and of the namespaces; the list refuses (400) what that
 * conversion refuses and v1.20's validation lets through: matchExpressions values that are no
 * label values. A peer without namespaceSelector means the policy's own namespace, as the API
 * documents. kapas must answer the same: a selector the server refuses is one kapas refuses too
 * ({@link LabelSelector#problem()}) and selects nothing; any other selects the same objects.
 * kapas's parser of the query syntax ({@link LabelSelector#parse}) must read each query as the
 * server did.
 *
 * <p>v1.20 does not label namespaces with {@code kubernetes.io/metadata.name} (1.21 does, and
 * kapas assumes it); the generated Namespaces carry it explicitly, as a newer server would add it.
 */
class LabelSelectorConformanceIT {
  private static final long SEED = 20_210_118L;
  private static final int SELECTORS = 300;
  private static final int PODS_PER_NAMESPACE = 16;
  private static final List<String> NAMESPACES = List.of("sel-a", "sel-b", "sel-c", "sel-d");
  private static final List<String> LABEL_KEYS = List.of("app", "tier", "env", "app.kubernetes.io/name",
      "app.kubernetes.io/part-of", "example.com/team");
  private static final List<String> VALUES = List.of("", "web", "api", "db", "v1.2_3-x", "in", "notin", "A");
  private static final List<String> SELECTOR_KEYS = concat(LABEL_KEYS,
      List.of(Namespaces.NAME_LABEL, "kapas.test/nowhere"));
  private static final List<String> SELECTOR_VALUES = concat(VALUES, List.of("sel-a", "sel-c"));
  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
  /** What the API refuses: keys that are no qualified names, values that are no label values, operators it lacks. */
  private static final List<String> BAD_KEYS = List.of("bad key", "Example.COM/app", "a/b/c", "-app", "x".repeat(64));
  private static final List<String> BAD_VALUES = List.of("-bad", "bad_", "x".repeat(64));
  private static final List<String> BAD_OPERATORS = List.of("in", "Equals", "");
  /** Queries written by hand in the syntax kubectl -l takes, for the parser alone. */
  private static final List<String> QUERIES = List.of("", "app", "!app", "app=web", "app==web", "app!=web", "app = web",
      "app=", "app!=", "app in (web,api)", "app in (web, api)", "app in (web,)", "app in (,web)", "app in (web,,api)",
      "app in ()", "app notin ()", "app notin (web,)", "app in (in,notin)", "tier notin (in)", "env=in", "app,tier",
      "app in (web),tier notin (db)", "app.kubernetes.io/name in (web,api),!env", "app=-bad", "app in (a b)",
      "Example.COM/app", "a/b/c", "app,,tier", "app=web,", "IN", "app IN (web)", "app=web x");

  @TempDir
  static Path tmp;
  private static Map<String, String> env;
  private static KubernetesClient admin;
  private static Inventory kapas;
  /** The NetworkPolicies the server stored, by name, as it answered their creation. */
  private static Map<String, JsonNode> stored;
  /** The NetworkPolicies the server refused to create, by name, with its reason. */
  private static Map<String, String> refused;

  /** A server's or kapas's answer: the objects selected, or why the selector is refused. */
  record Answer(Set<String> selected, String refusal) {
    static Answer refused(String why) {
      return new Answer(Set.of(), why);
    }

    boolean isRefused() {
      return !refusal.isEmpty();
    }

    @Override
    public String toString() {
      return isRefused() ? "refused (" + refusal + ")" : "selects " + selected;
    }
  }

  @BeforeAll
  static void startAndLoad() throws Exception {
    KubeApiServer.assumeBuilt();
    env = KubeApiServer.start(tmp.resolve("state"), KubeApiServer.BINARY);
    admin = KubeApiServer.admin(env);
    List<String> documents = Generator.documents(new Random(SEED));
    kapas = Manifests.inventory(String.join("", documents));
    stored = new LinkedHashMap<>();
    refused = new LinkedHashMap<>();
    YAMLMapper yaml = YAMLMapper.builder().build();
    for (String doc : documents) {
      JsonNode object = yaml.readTree(doc);
      String kind = object.path("kind").asString();
      String ns = object.path("metadata").path("namespace").asString();
      String name = object.path("metadata").path("name").asString();
      String path = switch (kind) {
        case "Namespace" -> "/api/v1/namespaces";
        case "Pod" -> "/api/v1/namespaces/" + ns + "/pods";
        default -> "/apis/networking.k8s.io/v1/namespaces/" + ns + "/networkpolicies";
      };
      HttpResponse<String> r = send(path, JsonMapper.shared().writeValueAsString(object));
      if (kind.equals("NetworkPolicy") && r.code() == 422) {
        refused.put(name, JsonMapper.shared().readTree(r.body()).path("message").asString());
      } else {
        assertThat(r.code()).as("creating %s %s: %s", kind, name, r.body()).isEqualTo(201);
        if (kind.equals("NetworkPolicy")) {
          stored.put(name, JsonMapper.shared().readTree(r.body()));
        }
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (env != null) {
      KubeApiServer.stop(env);
    }
  }

  /** Which pods of its namespace each policy's podSelector selects, through kapas's policy index. */
  @Test
  void podSelectorsSelectThePodsTheServerLists() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int refusedByServer = 0;
    int partial = 0;
    for (Policy policy : policies()) {
      String name = policy.object().name();
      String ns = policy.namespace();
      Answer server = refused.containsKey(name) ? Answer.refused(refused.get(name))
          : list("/api/v1/namespaces/" + ns + "/pods", query(stored.get(name).path("spec").path("podSelector")));
      Set<String> selected = new TreeSet<>();
      for (PodView pod : kapas.namespaces().pods(ns)) {
        if (kapas.networkPolicies().selecting(pod, Direction.INGRESS).contains(policy)) {
          selected.add(pod.object().name());
        }
      }
      Answer ours = new Answer(selected, policy.podSelector().problem().orElse(""));
      refusedByServer += server.isRefused() ? 1 : 0;
      partial += !server.selected().isEmpty() && server.selected().size() < PODS_PER_NAMESPACE ? 1 : 0;
      compare(policy, "podSelector", server, ours, pod -> pod(ns, pod), disagreements);
    }
    assertThat(disagreements).as("%d disagreements over %d podSelectors of %d pods each", disagreements.size(),
        SELECTORS, PODS_PER_NAMESPACE).isEmpty();
    // a generator whose selectors are all refused, or select all or nothing, would show little
    assertThat(refusedByServer).as("selectors the server refuses").isBetween(SELECTORS / 20, SELECTORS / 3);
    assertThat(partial).as("selectors that select some pods of their namespace, not all").isGreaterThan(SELECTORS / 3);
  }

  /** Which namespaces a policy's peer admits pods from: its namespaceSelector's, or the policy's own. */
  @Test
  void namespaceSelectorsSelectTheNamespacesTheServerLists() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int ownNamespace = 0;
    for (Policy policy : policies()) {
      String name = policy.object().name();
      Answer server;
      if (refused.containsKey(name)) {
        server = Answer.refused(refused.get(name));
      } else {
        JsonNode selector = stored.get(name).path("spec").path("ingress").path(0).path("from").path(0)
            .path("namespaceSelector");
        server = selector.isMissingNode() ? new Answer(Set.of(policy.namespace()), "")
            : list("/api/v1/namespaces", query(selector));
        ownNamespace += selector.isMissingNode() ? 1 : 0;
      }
      Peer peer = Peer.of(policy.object().root().path("spec", "ingress").get(0).get("from").get(0));
      Set<String> admitted = new TreeSet<>();
      for (String ns : NAMESPACES) {
        if (peer.admits(policy.namespace(), ns, kapas.namespaces().labels(ns), Map.of())) {
          admitted.add(ns);
        }
      }
      Answer ours = new Answer(admitted, peer.namespaceSelector().problem().orElse(""));
      compare(policy, "namespaceSelector", server, ours, ns -> "namespace " + ns + " " + kapas.namespaces().labels(ns),
          disagreements);
    }
    assertThat(ownNamespace).as("peers without namespaceSelector").isPositive();
    assertThat(disagreements).as("%d disagreements over %d namespaceSelectors", disagreements.size(), SELECTORS)
        .isEmpty();
  }

  /** kapas's parser of the query syntax, on each query sent above and on some written by hand. */
  @Test
  void theQuerySyntaxParsesAsOnTheServer() throws Exception {
    List<String> disagreements = new ArrayList<>();
    Set<String> queries = new LinkedHashSet<>(QUERIES);
    stored.values().forEach(np -> queries.add(query(np.path("spec").path("podSelector"))));
    for (String q : queries) {
      Answer server = list("/api/v1/pods", q);
      Answer ours;
      try {
        LabelSelector parsed = LabelSelector.parse(q);
        Set<String> selected = new TreeSet<>();
        for (String ns : NAMESPACES) {
          kapas.namespaces().pods(ns).stream().filter(p -> parsed.matches(p.labels()))
              .forEach(p -> selected.add(ns + "/" + p.object().name()));
        }
        ours = new Answer(selected, "");
      } catch (IllegalArgumentException e) {
        ours = Answer.refused(e.getMessage());
      }
      if (server.isRefused() != ours.isRefused() || !server.selected().equals(ours.selected())) {
        disagreements.add("query `" + q + "`: server " + server + ", kapas " + ours);
      }
    }
    assertThat(disagreements).as("%d disagreements over %d queries", disagreements.size(), queries.size()).isEmpty();
  }

  private static List<Policy> policies() {
    List<Policy> out = NAMESPACES.stream().flatMap(ns -> kapas.networkPolicies().inNamespace(ns).stream()).toList();
    assertThat(out).hasSize(SELECTORS);
    return out;
  }

  /** Adds a line for each object the answers treat differently, or one for the selector when only one refuses it. */
  private static void compare(Policy policy, String field, Answer server, Answer ours,
      Function<String, String> describe, List<String> disagreements) {
    String selector = policy.object().name() + " in " + policy.namespace() + ", " + field + " "
        + Generator.written.get(policy.object().name());
    if (server.isRefused() != ours.isRefused()) {
      disagreements.add(selector + ": server " + server + ", kapas " + ours);
      return;
    }
    Set<String> objects = new TreeSet<>(server.selected());
    objects.addAll(ours.selected());
    for (String o : objects) {
      boolean s = server.selected().contains(o);
      if (s != ours.selected().contains(o)) {
        disagreements.add(selector + " on " + describe.apply(o) + ": server " + (s ? "selects" : "does not select")
            + " it, kapas " + (s ? "does not" : "does"));
      }
    }
  }

  private static String pod(String ns, String name) {
    return "pod " + ns + "/" + name + " " + kapas.namespaces().pods(ns).stream()
        .filter(p -> p.object().name().equals(name)).findFirst().orElseThrow().labels();
  }

  /**
   * A stored selector in the query syntax, as {@code metav1.LabelSelectorAsSelector(s).String()}
   * writes it: matchLabels as {@code k=v}, then {@code k in (a,b)}, {@code k notin (a)}, {@code k},
   * {@code !k}; values sorted; requirements sorted by key, joined by commas. {@code {}} is "".
   */
  static String query(JsonNode selector) {
    List<Map.Entry<String, String>> requirements = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
      requirements.add(Map.entry(e.getKey(), e.getKey() + "=" + e.getValue().asString()));
    }
    for (JsonNode e : selector.path("matchExpressions")) {
      String key = e.path("key").asString();
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asString()));
      Collections.sort(values);
      String text = switch (e.path("operator").asString()) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> throw new AssertionError("the server stored a selector with operator " + e.path("operator"));
      };
      requirements.add(Map.entry(key, text));
    }
    requirements.sort(Map.Entry.comparingByKey());
    return requirements.stream().map(Map.Entry::getValue).collect(joining(","));
  }

  /** What the list at {@code path} answers for {@code labelSelector}, in the generated namespaces (all pods: ns/name). */
  private static Answer list(String path, String labelSelector) throws Exception {
    HttpResponse<String> r = send(path + "?labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8),
        null);
    if (r.code() == 400) {
      return Answer.refused(JsonMapper.shared().readTree(r.body()).path("message").asString());
    }
    assertThat(r.code()).as("GET %s for `%s`: %s", path, labelSelector, r.body()).isEqualTo(200);
    boolean acrossNamespaces = path.equals("/api/v1/pods");
    Set<String> names = new TreeSet<>();
    for (JsonNode item : JsonMapper.shared().readTree(r.body()).path("items")) {
      String ns = item.path("metadata").path("namespace").asString();
      String name = item.path("metadata").path("name").asString();
      if (NAMESPACES.contains(ns.isEmpty() ? name : ns)) {
        names.add(acrossNamespaces ? ns + "/" + name : name);
      }
    }
    return new Answer(names, "");
  }

  /** A GET, or with a body a POST of JSON. */
  private static HttpResponse<String> send(String path, String json) throws Exception {
    HttpClient http = admin.getHttpClient();
    HttpRequest.Builder request = http.newHttpRequestBuilder()
        .uri(admin.getMasterUrl().toString().replaceAll("/$", "") + path);
    if (json != null) {
      request.post("application/json", json);
    }
    return http.sendAsync(request.build(), String.class).get(30, TimeUnit.SECONDS);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** The namespaces, pods and NetworkPolicies, one YAML document each. */
  static final class Generator {
    /** The selector each policy was written with, by name, for messages. */
    static final Map<String, String> written = new LinkedHashMap<>();

    static List<String> documents(Random random) {
      List<String> docs = new ArrayList<>();
      for (String ns : NAMESPACES) {
        Map<String, String> labels = labels(random);
        labels.put(Namespaces.NAME_LABEL, "\"" + ns + "\"");
        docs.add("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n  labels: " + flow(labels)
            + "\n");
        for (int i = 0; i < PODS_PER_NAMESPACE; i++) {
          docs.add("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p-" + i + "\n  namespace: " + ns
              + "\n  labels: " + flow(labels(random)) + "\nspec:\n  containers: [{name: c, image: busybox}]\n");
        }
      }
      for (int i = 0; i < SELECTORS; i++) {
        String name = String.format("sel-%03d", i);
        String selector = selector(random);
        written.put(name, selector.equals("absent") ? "absent" : "`" + selector + "`");
        selector = selector.equals("absent") ? "" : selector;
        docs.add("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " + name
            + "\n  namespace: " + NAMESPACES.get(i % NAMESPACES.size()) + "\nspec:\n"
            + (selector.isEmpty() ? "" : "  podSelector: " + selector + "\n")
            + "  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {}\n"
            + (selector.isEmpty() ? "" : "      namespaceSelector: " + selector + "\n"));
      }
      return docs;
    }


    /** Each label key present two times in three, with a value of the pool or (rarely) null. */
    private static Map<String, String> labels(Random random) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String key : LABEL_KEYS) {
        if (random.nextInt(3) > 0) {
          out.put(key, random.nextInt(15) == 0 ? "null" : "\"" + pick(random, VALUES) + "\"");
        }
      }
      return out;
    }

    /** A selector in YAML flow syntax, "null", or "absent" (the field not written). */
    static String selector(Random random) {
      int form = random.nextInt(100);
      if (form < 3) {
        return "absent";
      }
      if (form < 6) {
        return "null";
      }
      if (form < 12) {
        return pick(random, List.of("{}", "{matchLabels: {}}", "{matchExpressions: []}",
            "{matchLabels: {}, matchExpressions: []}"));
      }
      List<String> keys = new ArrayList<>(SELECTOR_KEYS);
      Collections.shuffle(keys, random);
      Map<String, String> matchLabels = new LinkedHashMap<>();
      int labels = random.nextInt(6) / 3 + random.nextInt(6) / 5;
      for (int i = 0; i < labels; i++) {
        matchLabels.put(keys.get(i), value(random));
      }
      List<String> expressions = new ArrayList<>();
      int count = labels == 0 ? 1 + random.nextInt(2) : random.nextInt(2);
      for (int i = 0; i < count; i++) {
        expressions.add(expression(random));
      }
      List<String> parts = new ArrayList<>();
      if (!matchLabels.isEmpty()) {
        parts.add("matchLabels: " + flow(matchLabels));
      }
      if (!expressions.isEmpty()) {
        parts.add("matchExpressions: [" + String.join(", ", expressions) + "]");
      }
      return "{" + String.join(", ", parts) + "}";
    }

    private static String expression(Random random) {
      String key = random.nextInt(40) == 0 ? pick(random, BAD_KEYS) : pick(random, SELECTOR_KEYS);
      String op = random.nextInt(30) == 0 ? pick(random, BAD_OPERATORS) : pick(random, OPERATORS);
      int v = random.nextInt(20);
      String values;
      if (op.equals("Exists") || op.equals("DoesNotExist")) {
        values = v == 0 ? ", values: [" + value(random) + "]" : v == 1 ? ", values: []" : "";
      } else if (v < 2) {
        values = v == 0 ? "" : ", values: []";
      } else {
        List<String> some = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          some.add(value(random));
        }
        values = ", values: [" + String.join(", ", some) + "]";
      }
      return "{key: \"" + key + "\", operator: \"" + op + "\"" + values + "}";
    }

    private static String value(Random random) {
      int v = random.nextInt(40);
      return v < 3 ? "null" : "\"" + (v == 3 ? pick(random, BAD_VALUES) : pick(random, SELECTOR_VALUES)) + "\"";
    }

    private static String flow(Map<String, String> entries) {
      return entries.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
          .collect(joining(", ", "{", "}"));
    }

    private static <T> T pick(Random random, List<T> from) {
      return from.get(random.nextInt(from.size()));
    }
  }
}

package dev.kapas.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Peer;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespaces, NetworkPolicies per direction and ServiceAccounts, on real parsed manifests. */
class NetworkIndexTest {
  private static final String SCAN = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop, labels: {team: web}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web, tier: fe}}
          spec:
            serviceAccountName: web
            containers: [{name: app, image: nginx}]
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report, namespace: shop}
      spec:
        jobTemplate:
          spec:
            template:
              metadata: {labels: {app: report}}
              spec:
                serviceAccount: web
                containers: [{name: r, image: r}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: debug, labels: {app: web}}
      spec:
        containers: [{name: d, image: busybox}]
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: web, namespace: shop}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: reader}
      ---
      # no policyTypes, no egress: Ingress only
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-in, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress: [{from: [{podSelector: {}}]}]
      ---
      # no policyTypes, egress rules: Ingress and Egress
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: fe-both, namespace: shop}
      spec:
        podSelector: {matchExpressions: [{key: tier, operator: In, values: [fe, be]}]}
        egress: [{to: [{namespaceSelector: {matchLabels: {team: web}}}]}]
      ---
      # no policyTypes and an empty egress list: Ingress only, as the API server defaults it
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: empty-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: report}}
        egress: []
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-egress, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Egress]
      ---
      # same labels, other namespace: must not select the shop pods
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-in, namespace: other}
      spec:
        podSelector: {matchLabels: {app: web}}
      """;

  private final Inventory inventory = Manifests.inventory(SCAN);

  private PodView pod(String namespace, String name) {
    return inventory.namespaces().pods(namespace).stream()
        .filter(p -> p.object().name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(List<Policy> policies) {
    return policies.stream().map(p -> p.namespace() + "/" + p.object().name()).toList();
  }

  @Test
  void namespacesHoldNamespacedObjectsOnlyWithUnsetAsDefault() {
    Namespaces ns = inventory.namespaces();
    assertThat(ns.names()).containsExactly("shop", "default", "other");
    assertThat(ns.objects("shop")).extracting(KubeObject::name)
        .containsExactly("web", "report", "web", "web-in", "fe-both", "empty-egress", "deny-egress");
    assertThat(ns.pods("default")).extracting(p -> p.object().name()).containsExactly("debug");
    assertThat(ns.pods("other")).isEmpty();
    assertThat(ns.objects("kube-system")).isEmpty();
    assertThat(ns.anchor("shop").orElseThrow().kind()).isEqualTo("Namespace");
    assertThat(ns.anchor("default").orElseThrow().name()).isEqualTo("debug");
    assertThat(ns.anchor("other").orElseThrow().kind()).isEqualTo("NetworkPolicy");
    assertThat(ns.labels("shop")).isEqualTo(Map.of("team", "web", Namespaces.NAME_LABEL, "shop"));
    assertThat(ns.labels("default")).isEqualTo(Map.of(Namespaces.NAME_LABEL, "default"));
    assertThat(Namespaces.isClusterScoped("ClusterRole")).isTrue();
    assertThat(Namespaces.isClusterScoped("ValidatingWebhookConfiguration")).isTrue();
    assertThat(Namespaces.isClusterScoped("Role")).isFalse();
  }

  @Test
  void policiesSelectPodsPerDirectionWithDefaultedPolicyTypes() {
    NetworkPolicies np = inventory.networkPolicies();
    PodView web = pod("shop", "web");
    assertThat(names(np.selecting(web, Direction.INGRESS))).containsExactly("shop/web-in", "shop/fe-both");
    assertThat(names(np.selecting(web, Direction.EGRESS))).containsExactly("shop/fe-both", "shop/deny-egress");
    PodView report = pod("shop", "report");
    assertThat(names(np.selecting(report, Direction.INGRESS))).containsExactly("shop/empty-egress");
    assertThat(names(np.selecting(report, Direction.EGRESS))).containsExactly("shop/deny-egress");
    PodView debug = pod("default", "debug");
    assertThat(np.selecting(debug, Direction.INGRESS)).isEmpty();
    assertThat(np.selectsAny(debug)).isFalse();
    assertThat(names(np.inNamespace("other"))).containsExactly("other/web-in");
    assertThat(np.all()).hasSize(5);
  }

  @Test
  void defaultDenyNeedsAnEmptySelectorAndNoRules() {
    NetworkPolicies np = inventory.networkPolicies();
    Policy denyEgress = np.inNamespace("shop").get(3);
    assertThat(denyEgress.deniesAll(Direction.EGRESS)).isTrue();
    assertThat(denyEgress.deniesAll(Direction.INGRESS)).isFalse();
    assertThat(np.inNamespace("shop").get(0).deniesAll(Direction.INGRESS)).isFalse();
  }

  /** The API server stores an absent or null podSelector as {@code {}}: the policy selects every pod of its namespace. */
  @Test
  void anAbsentOrNullPodSelectorSelectsEveryPod() {
    Inventory scan = Manifests.inventory("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: c, image: i}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: absent, namespace: shop}
        spec: {}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: "null", namespace: shop}
        spec: {podSelector: null}
        """);
    PodView pod = scan.namespaces().pods("shop").get(0);
    assertThat(scan.networkPolicies().selecting(pod, Direction.INGRESS)).extracting(p -> p.object().name())
        .containsExactly("absent", "null");
    assertThat(scan.networkPolicies().inNamespace("shop")).allMatch(p -> p.deniesAll(Direction.INGRESS));
  }

  /** The API server stores a label written without value ({@code app:}, {@code app: null}) as "". */
  @Test
  void aLabelWithoutValueIsTheEmptyString() {
    Inventory scan = Manifests.inventory("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {team: null}}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
          labels:
            app:
        spec: {containers: [{name: c, image: i}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: empty-app, namespace: shop}
        spec: {podSelector: {matchLabels: {app: ""}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: has-app, namespace: shop}
        spec: {podSelector: {matchExpressions: [{key: app, operator: Exists}]}}
        """);
    PodView pod = scan.namespaces().pods("shop").get(0);
    assertThat(pod.labels()).containsEntry("app", "");
    assertThat(scan.networkPolicies().selecting(pod, Direction.INGRESS)).extracting(p -> p.object().name())
        .containsExactly("empty-app", "has-app");
    assertThat(scan.namespaces().labels("shop")).containsEntry("team", "");
  }

  @Test
  void peersUseNamespaceLabelsIncludingTheAutomaticNameLabel() {
    Namespaces ns = inventory.namespaces();
    Policy feBoth = inventory.networkPolicies().inNamespace("shop").get(1);
    Peer toTeamWeb = Peer.of(feBoth.rules(Direction.EGRESS).node().get(0).get("to").get(0));
    assertThat(toTeamWeb.admits("shop", "shop", ns.labels("shop"), Map.of("app", "x"))).isTrue();
    assertThat(toTeamWeb.admits("shop", "default", ns.labels("default"), Map.of("app", "x"))).isFalse();
    assertThat(inventory.networkPolicies().namespacesMatching(
        LabelSelector.of(List.of(new LabelSelector.Requirement(Namespaces.NAME_LABEL, LabelSelector.Operator.IN,
            java.util.Set.of("default")))))).containsExactly("default");

    Peer samePods = Peer.of(inventory.networkPolicies().inNamespace("shop").get(0)
        .rules(Direction.INGRESS).node().get(0).get("from").get(0));
    assertThat(samePods.admits("shop", "shop", ns.labels("shop"), Map.of())).isTrue();
    assertThat(samePods.admits("shop", "default", ns.labels("default"), Map.of())).isFalse();
  }

  /** A namespaceSelector the API refuses is no absent one: it admits nothing, not the policy's own namespace. */
  @Test
  void aRefusedNamespaceSelectorAdmitsNothing() {
    Inventory scan = Manifests.inventory("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: shop}
        spec:
          podSelector: {}
          ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: team, operator: In}]}}]}]
        """);
    Policy policy = scan.networkPolicies().inNamespace("shop").get(0);
    Peer peer = Peer.of(policy.rules(Direction.INGRESS).node().get(0).get("from").get(0));
    assertThat(peer.namespaceSelector().problem()).isPresent();
    assertThat(peer.admits("shop", "shop", Map.of("team", "a"), Map.of())).isFalse();
  }

  @Test
  void serviceAccountsAndTheirPods() {
    ServiceAccounts sa = inventory.serviceAccounts();
    assertThat(sa.podsOf("shop", "web")).extracting(p -> p.object().name()).containsExactly("web", "report");
    assertThat(sa.podsOf("", "default")).extracting(p -> p.object().name()).containsExactly("debug");
    assertThat(sa.accountOf(pod("shop", "report"))).hasValueSatisfying(o -> assertThat(o.name()).isEqualTo("web"));
    assertThat(sa.accountOf(pod("default", "debug"))).isEmpty();
  }
}

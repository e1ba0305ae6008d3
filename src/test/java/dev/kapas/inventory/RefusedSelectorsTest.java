package dev.kapas.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Diagnostic;
import org.junit.jupiter.api.Test;

/** Selectors the API server would refuse select nothing in kapas, and a note says so at their line. */
class RefusedSelectorsTest {

  @Test
  void eachRefusedSelectorIsANoteAtItsLineAndValidOrAbsentOnesAreNot() {
    Inventory inventory = Manifests.inventory("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector:
            matchExpressions:
            - {key: app, operator: in, values: [web]}
          ingress:
          - from:
            - podSelector: {matchLabels: {app: api}}
              namespaceSelector:
                matchLabels: {"bad key": x}
          egress:
          - to:
            - namespaceSelector: {}
            - podSelector:
                matchExpressions:
                - {key: tier, operator: NotIn}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          ingress:
          - from:
            - podSelector: {matchLabels: {app: api}}
            - ipBlock: {cidr: 10.0.0.0/8}
          - from:
            - {}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: monitoring}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {example.com/aggregate-to-monitoring: "true"}
          - matchExpressions:
            - {key: team, operator: Exists, values: [ops]}
        rules: []
        """);
    assertThat(inventory.notes()).extracting(d -> d.line() + ":" + d.column() + " " + d.message().split(";")[0])
        .containsExactly(
            "5:3 NetworkPolicy/shop/web `spec.podSelector`: unknown operator `in` for key `app`",
            "11:7 NetworkPolicy/shop/web `spec.ingress[0].from[0].namespaceSelector`: `bad key` is not a label key",
            "16:7 NetworkPolicy/shop/web `spec.egress[0].to[1].podSelector`: operator NotIn on `tier` needs values",
            "29:7 NetworkPolicy/shop/api `spec.ingress[1].from[0]`: a peer names no podSelector, namespaceSelector or ipBlock",
            "37:5 ClusterRole/monitoring `aggregationRule.clusterRoleSelectors[1]`: operator Exists on `team` takes no values");
    assertThat(inventory.notes()).extracting(Diagnostic::message)
        .allMatch(m -> m.contains("; the API server would refuse the object, and kapas takes "));
  }
}

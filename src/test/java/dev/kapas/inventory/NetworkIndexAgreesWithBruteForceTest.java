package dev.kapas.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.PodView;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The label index of {@link NetworkPolicies} is an optimisation: whatever selectors and labels,
 * it must find exactly the policies that testing every policy of the namespace finds.
 */
class NetworkIndexAgreesWithBruteForceTest {
  private static final String[] KEYS = {"app", "tier", "env"};
  private static final String[] VALUES = {"a", "b", "c"};
  private static final String[] OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"};

  @RepeatedTest(20)
  void indexFindsWhatTestingEveryPolicyFinds(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      yaml.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p").append(i)
          .append(", namespace: n").append(random.nextInt(2)).append("}\nspec:\n  podSelector: ")
          .append(selector(random)).append('\n');
      if (random.nextBoolean()) {
        yaml.append("  policyTypes: [").append(random.nextBoolean() ? "Ingress" : "Egress")
            .append(random.nextBoolean() ? ", Egress" : "").append("]\n");
      } else if (random.nextBoolean()) {
        yaml.append("  egress: [{}]\n");
      }
    }
    for (int i = 0; i < 30; i++) {
      yaml.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod").append(i).append("\n  namespace: n")
          .append(random.nextInt(2)).append("\n  labels: ").append(labels(random))
          .append("\nspec:\n  containers: [{name: c, image: i}]\n");
    }
    Inventory inventory = Manifests.inventory(yaml.toString());
    NetworkPolicies index = inventory.networkPolicies();
    for (String ns : List.of("n0", "n1")) {
      for (PodView pod : inventory.namespaces().pods(ns)) {
        for (Direction d : Direction.values()) {
          List<Policy> expected = index.inNamespace(ns).stream()
              .filter(p -> p.affects(d) && p.podSelector().matches(pod.labels())).toList();
          assertThat(index.selecting(pod, d)).as("%s %s %s", pod.object().name(), pod.labels(), d).isEqualTo(expected);
          assertThat(index.isolates(pod, d)).isEqualTo(!expected.isEmpty());
        }
        assertThat(index.selectsAny(pod)).isEqualTo(index.inNamespace(ns).stream()
            .anyMatch(p -> (p.ingress() || p.egress()) && p.podSelector().matches(pod.labels())));
      }
    }
  }

  private static String selector(Random random) {
    StringBuilder s = new StringBuilder("{matchLabels: {");
    int labels = random.nextInt(3);
    for (int i = 0; i < labels; i++) {
      s.append(i == 0 ? "" : ", ").append(KEYS[i]).append(": ").append(VALUES[random.nextInt(3)]);
    }
    s.append("}, matchExpressions: [");
    int expressions = random.nextInt(3);
    for (int i = 0; i < expressions; i++) {
      String op = OPERATORS[random.nextInt(4)];
      s.append(i == 0 ? "" : ", ").append("{key: ").append(KEYS[random.nextInt(3)]).append(", operator: ").append(op);
      if (op.endsWith("In")) {
        s.append(", values: [").append(VALUES[random.nextInt(3)]).append(random.nextBoolean() ? ", c" : "").append("]");
      }
      s.append("}");
    }
    return s.append("]}").toString();
  }

  private static String labels(Random random) {
    StringBuilder s = new StringBuilder("{");
    boolean first = true;
    for (String key : KEYS) {
      if (random.nextInt(3) > 0) {
        s.append(first ? "" : ", ").append(key).append(": ").append(VALUES[random.nextInt(3)]);
        first = false;
      }
    }
    return s.append("}").toString();
  }
}

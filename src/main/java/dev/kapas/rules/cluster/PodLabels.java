package dev.kapas.rules.cluster;

import dev.kapas.model.PodView;
import java.util.Map;
import java.util.stream.Collectors;

/** How messages name a pod's labels: the ones selectors see. */
final class PodLabels {
  private PodLabels() {}

  /** {@code (pods labelled app=web,tier=fe)} or {@code (pods without labels)}. */
  static String describe(PodView pod) {
    Map<String, String> labels = pod.labels();
    String noun = pod.object().kind().equals("Pod") ? "labelled" : "pods labelled";
    return labels.isEmpty() ? "(" + (pod.object().kind().equals("Pod") ? "no labels" : "pods without labels") + ")"
        : "(" + noun + " " + labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")) + ")";
  }
}

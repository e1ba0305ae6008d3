package dev.kapas.model;

import java.util.Locale;

/** The four layers of the layered ("4C") Kubernetes security model, outermost first. */
public enum Layer {
  CLOUD,
  CLUSTER,
  CONTAINER,
  CODE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The layer a rule ID names by its prefix ({@code cluster.foo} is {@link #CLUSTER}). */
  public static Layer ofRuleId(String ruleId) {
    String prefix = ruleId.substring(0, Math.max(0, ruleId.indexOf('.')));
    for (Layer layer : values()) {
      if (layer.label().equals(prefix)) {
        return layer;
      }
    }
    throw new IllegalArgumentException("rule ID without a layer prefix: " + ruleId);
  }
}

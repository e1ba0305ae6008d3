package dev.kapas.engine;

import java.util.Locale;

/** Which collector feeds a rule (the "input" column of RULES.md). */
public enum Input {
  MANIFEST, CLUSTER, NODE, PROBE, CLOUD, IMAGE, DOCKERFILE, CODE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

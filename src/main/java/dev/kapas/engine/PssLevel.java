package dev.kapas.engine;

import java.util.Locale;

/** Pod Security Standards levels, least strict first. */
public enum PssLevel {
  PRIVILEGED, BASELINE, RESTRICTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

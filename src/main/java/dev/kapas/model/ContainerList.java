package dev.kapas.model;

/** The three container lists of a pod spec. */
public enum ContainerList {
  INIT("initContainers", "init container"),
  REGULAR("containers", "container"),
  EPHEMERAL("ephemeralContainers", "ephemeral container");

  private final String field;
  private final String noun;

  ContainerList(String field, String noun) {
    this.field = field;
    this.noun = noun;
  }

  /** The pod spec field that holds this list. */
  public String field() {
    return field;
  }

  /** How a message names a container of this list. */
  public String noun() {
    return noun;
  }
}

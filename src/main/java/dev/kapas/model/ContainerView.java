package dev.kapas.model;

import java.util.Optional;

/**
 * One container of a pod spec, in any of the three lists, with the pod-level securityContext
 * fields it inherits resolved as Kubernetes resolves them: the container's own value wins.
 */
public record ContainerView(PodView pod, ContainerList list, int index, Field field) {

  public Node node() {
    return field.node();
  }

  public String name() {
    return node().get("name").textOr("#" + index);
  }

  /** How messages name it: {@code container `app`} or {@code init container `setup`}. */
  public String label() {
    return list.noun() + " `" + name() + "`";
  }

  public Field get(String... keys) {
    return field.path(keys);
  }

  public Field securityContext() {
    return field.get("securityContext");
  }

  /**
   * A securityContext field that exists at both levels (runAsUser, runAsNonRoot, seccompProfile,
   * seLinuxOptions, appArmorProfile, windowsOptions...): the container's if set, else the pod's.
   * Empty when neither sets it.
   */
  public Optional<Field> effective(String... keys) {
    Field own = securityContext().path(keys);
    if (own.isPresent() && !own.node().isNull()) {
      return Optional.of(own);
    }
    Field inherited = pod.securityContext().path(keys);
    if (inherited.isPresent() && !inherited.node().isNull()) {
      return Optional.of(inherited);
    }
    return Optional.empty();
  }
}

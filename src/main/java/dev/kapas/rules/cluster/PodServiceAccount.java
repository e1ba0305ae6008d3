package dev.kapas.rules.cluster;

import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.ServiceAccounts;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.Optional;

/** Which ServiceAccount a pod runs as, and that ServiceAccount when the scan read it. */
final class PodServiceAccount {
  static final String DEFAULT = ServiceAccounts.DEFAULT;

  private PodServiceAccount() {}

  /**
   * The field that names the ServiceAccount: {@code serviceAccountName}, else the deprecated
   * {@code serviceAccount} (the API server copies it over); missing when neither is set.
   */
  static Field field(PodView pod) {
    Field name = pod.spec().get("serviceAccountName");
    Field legacy = pod.spec().get("serviceAccount");
    return name.node().textOr("").isEmpty() && !legacy.node().textOr("").isEmpty() ? legacy : name;
  }

  /** The ServiceAccount's name; {@code default} when the pod names none. */
  static String name(PodView pod) {
    return ServiceAccounts.accountName(pod);
  }

  /**
   * The pod's ServiceAccount in the inventory. A manifest without a namespace lands in the
   * namespace of the kubectl context, normally {@code default}: no namespace and {@code default}
   * are taken as the same.
   */
  static Optional<KubeObject> find(PodView pod, Inventory inventory) {
    return inventory.serviceAccounts().accountOf(pod);
  }
}

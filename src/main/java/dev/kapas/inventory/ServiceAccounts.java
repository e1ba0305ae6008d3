package dev.kapas.inventory;

import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ServiceAccounts and the pod-bearing objects that run as them, both ways. A pod names its account
 * with {@code serviceAccountName}, else the deprecated {@code serviceAccount}, else runs as
 * {@code default}; namespaces are compared with an unset one taken as {@code default}.
 */
public final class ServiceAccounts {
  public static final String DEFAULT = "default";

  private final Map<String, KubeObject> accounts = new HashMap<>();
  private final Map<String, List<PodView>> pods = new HashMap<>();

  public ServiceAccounts(List<KubeObject> objects, Namespaces namespaces) {
    for (KubeObject o : objects) {
      if (o.kind().equals("ServiceAccount") && o.apiVersion().equals("v1")) {
        accounts.putIfAbsent(key(Namespaces.namespaceOf(o).orElse(Namespaces.DEFAULT), o.name()), o);
      }
    }
    for (String ns : namespaces.names()) {
      for (PodView pod : namespaces.pods(ns)) {
        pods.computeIfAbsent(key(ns, accountName(pod)), k -> new ArrayList<>()).add(pod);
      }
    }
  }

  private static String key(String namespace, String name) {
    return namespace + '\u0000' + name;
  }

  /** The name of the ServiceAccount {@code pod} runs as. */
  public static String accountName(PodView pod) {
    String name = pod.spec().node().get("serviceAccountName").textOr("");
    if (name.isEmpty()) {
      name = pod.spec().node().get("serviceAccount").textOr("");
    }
    return name.isEmpty() ? DEFAULT : name;
  }

  /** The ServiceAccount {@code pod} runs as, when the scan read it. */
  public Optional<KubeObject> accountOf(PodView pod) {
    return find(Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT), accountName(pod));
  }

  /** The ServiceAccount {@code name} of {@code namespace}, when the scan read it. */
  public Optional<KubeObject> find(String namespace, String name) {
    return Optional.ofNullable(accounts.get(key(namespace.isEmpty() ? Namespaces.DEFAULT : namespace, name)));
  }

  /** The pod-bearing objects that run as ServiceAccount {@code name} of {@code namespace}. */
  public List<PodView> podsOf(String namespace, String name) {
    return pods.getOrDefault(key(namespace.isEmpty() ? Namespaces.DEFAULT : namespace, name), List.of());
  }
}

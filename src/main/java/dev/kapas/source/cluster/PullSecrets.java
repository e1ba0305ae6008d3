package dev.kapas.source.cluster;

import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which image pull secrets a pod pulls with, as the kubelet picks them: the pod's own {@code
 * imagePullSecrets}, then its ServiceAccount's (the ServiceAccount admission plugin copies them
 * into pods it creates; templates of controllers do not have them yet). Each as {@code
 * namespace/name}.
 */
public final class PullSecrets {
  private final Map<String, KubeObject> serviceAccounts = new HashMap<>();

  /** Over the listed objects, whose ServiceAccounts are looked up. */
  public PullSecrets(List<KubeObject> objects) {
    for (KubeObject o : objects) {
      if (o.kind().equals("ServiceAccount") && o.apiVersion().equals("v1")) {
        serviceAccounts.put(o.namespace() + "/" + o.name(), o);
      }
    }
  }

  /** The pull secrets of {@code pod}, pod's first; empty when it has none. */
  public List<String> of(PodView pod) {
    String ns = pod.object().namespace().isEmpty() ? "default" : pod.object().namespace();
    Set<String> out = new LinkedHashSet<>();
    names(pod.spec().node().get("imagePullSecrets"), ns, out);
    Node spec = pod.spec().node();
    String sa = spec.get("serviceAccountName").textOr(spec.get("serviceAccount").textOr(""));
    KubeObject account = serviceAccounts.get(ns + "/" + (sa.isEmpty() ? "default" : sa));
    if (account != null) {
      names(account.root().get("imagePullSecrets"), ns, out);
    }
    return new ArrayList<>(out);
  }

  /** Every pull secret some pod of {@code objects} names. */
  public Set<String> all(List<KubeObject> objects) {
    Set<String> out = new LinkedHashSet<>();
    for (KubeObject o : objects) {
      PodView.of(o).ifPresent(p -> out.addAll(of(p)));
    }
    return out;
  }

  private static void names(Node list, String ns, Set<String> out) {
    for (Node n : list.items()) {
      String name = n.get("name").textOr("");
      if (!name.isEmpty()) {
        out.add(ns + "/" + name);
      }
    }
  }
}

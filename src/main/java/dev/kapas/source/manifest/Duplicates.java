package dev.kapas.source.manifest;

import dev.kapas.model.ClusterScopedKinds;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The same object (API group, kind, namespace, name) defined more than once in one scan: as
 * {@code kubectl apply} of all the inputs would leave it, the last definition is the object, and
 * the earlier ones are dropped, with a note at both places. A namespaced object without a
 * namespace is in {@code default}; a cluster-scoped one has none, whatever it says (custom kinds
 * are cluster-scoped when a CustomResourceDefinition among the objects says so).
 */
final class Duplicates {
  private Duplicates() {}

  record Outcome(List<KubeObject> kept, List<Diagnostic> notes) {}

  static Outcome keepLast(List<KubeObject> objects) {
    Set<String> clusterScopedCustomKinds = new HashSet<>();
    for (KubeObject o : objects) {
      if (o.kind().equals("CustomResourceDefinition") && o.root().path("spec", "scope").textOr("").equals("Cluster")) {
        clusterScopedCustomKinds.add(o.root().path("spec", "group").textOr("") + "/"
            + o.root().path("spec", "names", "kind").textOr(""));
      }
    }
    Map<String, Integer> lastDefinition = new HashMap<>();
    BitSet dropped = new BitSet();
    List<Diagnostic> notes = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      KubeObject o = objects.get(i);
      if (o.root().path("metadata", "name").text().isEmpty()) {
        continue; // generateName: each one creates a new object
      }
      String group = o.apiVersion().contains("/") ? o.apiVersion().substring(0, o.apiVersion().indexOf('/')) : "";
      boolean clusterScoped = ClusterScopedKinds.contains(o.kind())
          || clusterScopedCustomKinds.contains(group + "/" + o.kind());
      String namespace = clusterScoped ? "" : o.namespace().isEmpty() ? "default" : o.namespace();
      Integer earlier = lastDefinition.put(group + '\u0000' + o.kind() + '\u0000' + namespace + '\u0000' + o.name(), i);
      if (earlier == null) {
        continue;
      }
      dropped.set(earlier);
      KubeObject first = objects.get(earlier);
      String what = "`" + (namespace.isEmpty() ? o.kind() + "/" + o.name() : o.kind() + "/" + namespace + "/" + o.name())
          + "`";
      notes.add(at(first, what + " is defined again at " + where(o)
          + "; the later definition is the one scanned, as kubectl apply would leave it"));
      notes.add(at(o, what + " was already defined at " + where(first) + "; this definition replaces it"));
    }
    if (dropped.isEmpty()) {
      return new Outcome(objects, List.of());
    }
    List<KubeObject> kept = new ArrayList<>(objects.size() - dropped.cardinality());
    for (int i = 0; i < objects.size(); i++) {
      if (!dropped.get(i)) {
        kept.add(objects.get(i));
      }
    }
    return new Outcome(kept, notes);
  }

  private static String where(KubeObject o) {
    return o.origin().file() + ":" + o.origin().line();
  }

  private static Diagnostic at(KubeObject o, String message) {
    return new Diagnostic(o.origin().file(), o.origin().line(), o.origin().column(), message);
  }
}

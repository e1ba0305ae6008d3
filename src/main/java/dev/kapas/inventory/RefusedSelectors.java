package dev.kapas.inventory;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The label selectors of a scan that the API server would refuse (an unknown operator, {@code In}
 * without values, a key that is no label key...): a NetworkPolicy's pod selector and its peers'
 * selectors, a ClusterRole's aggregation selectors; and a NetworkPolicy peer that names nothing.
 * kapas takes each selector to select nothing, so the findings about that policy or role can
 * surprise; a note says why, at the selector's line.
 */
final class RefusedSelectors {
  private RefusedSelectors() {}

  static List<Diagnostic> of(List<KubeObject> objects) {
    List<Diagnostic> out = new ArrayList<>();
    for (KubeObject o : objects) {
      Field root = Field.root(o.root());
      if (NetworkPolicies.isNetworkPolicy(o)) {
        Field spec = root.get("spec");
        check(o, spec.get("podSelector"), out);
        for (NetworkPolicies.Direction d : NetworkPolicies.Direction.values()) {
          Field rules = spec.get(d.field());
          for (int i = 0; i < rules.node().size(); i++) {
            Field peers = rules.get(i).get(d.peers());
            for (int j = 0; j < peers.node().size(); j++) {
              Field peer = peers.get(j);
              check(o, peer.get("podSelector"), out);
              check(o, peer.get("namespaceSelector"), out);
              if (peer.get("podSelector").node().isNull() && peer.get("namespaceSelector").node().isNull()
                  && peer.get("ipBlock").node().isNull()) {
                out.add(note(o, peer, "a peer names no podSelector, namespaceSelector or ipBlock",
                    "kapas takes it for the pods of the policy's namespace"));
              }
            }
          }
        }
      } else if (o.kind().equals("ClusterRole") && o.apiVersion().startsWith("rbac.authorization.k8s.io/")) {
        Field selectors = root.path("aggregationRule", "clusterRoleSelectors");
        for (int i = 0; i < selectors.node().size(); i++) {
          check(o, selectors.get(i), out);
        }
      }
    }
    return out;
  }

  private static void check(KubeObject o, Field at, List<Diagnostic> out) {
    if (at.node().isNull()) {
      return; // absent or null: each place gives that its own meaning
    }
    LabelSelector.of(at.node()).problem()
        .ifPresent(why -> out.add(note(o, at, why, "kapas takes the selector to select nothing")));
  }

  private static Diagnostic note(KubeObject o, Field at, String why, String taken) {
    return new Diagnostic(o.origin().file(), at.line(), at.column(), o.ref().display() + " `" + at.path() + "`: "
        + why + "; the API server would refuse the object, and " + taken);
  }
}

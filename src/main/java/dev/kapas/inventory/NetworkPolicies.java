package dev.kapas.inventory;

import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The NetworkPolicies of a scan, indexed by namespace and by the labels their pod selectors
 * require, so that finding the policies of a pod costs the policies that could match it, not
 * every policy of the cluster. Policy types are defaulted as the API server does: without
 * {@code policyTypes} a policy affects Ingress, and Egress too when it has egress rules.
 */
public final class NetworkPolicies {

  /** Which traffic a policy isolates. */
  public enum Direction {
    INGRESS("ingress", "from"), EGRESS("egress", "to");

    private final String field;
    private final String peers;

    Direction(String field, String peers) {
      this.field = field;
      this.peers = peers;
    }

    /** The spec field holding this direction's rules: {@code ingress} or {@code egress}. */
    public String field() {
      return field;
    }

    /** The rule field holding the peers: {@code from} or {@code to}. */
    public String peers() {
      return peers;
    }
  }

  /**
   * One NetworkPolicy, read once.
   *
   * @param namespace where it applies ({@code default} when unset)
   * @param podSelector which pods of its namespace it selects
   */
  public record Policy(KubeObject object, String namespace, LabelSelector podSelector, boolean ingress,
      boolean egress) {

    public boolean affects(Direction d) {
      return d == Direction.INGRESS ? ingress : egress;
    }

    /** The rules of direction {@code d} ({@code spec.ingress} or {@code spec.egress}). */
    public Field rules(Direction d) {
      return Field.root(object.root()).path("spec", d.field());
    }

    /**
     * True for a default-deny policy of direction {@code d}: it selects every pod of its namespace,
     * affects {@code d} and allows nothing in that direction.
     */
    public boolean deniesAll(Direction d) {
      return affects(d) && podSelector.selectsEverything() && rules(d).node().size() == 0;
    }

    public boolean selects(PodView pod) {
      return podSelector.matches(pod.labels());
    }
  }

  /**
   * A peer of a policy rule ({@code from}/{@code to} entry), as the API defines it: an ipBlock, or
   * pods chosen by podSelector within the namespaces chosen by namespaceSelector (the policy's own
   * namespace when it has none; none when it has one the API refuses).
   */
  public record Peer(LabelSelector podSelector, LabelSelector namespaceSelector, boolean hasIpBlock) {
    public static Peer of(Node peer) {
      Node pods = peer.get("podSelector");
      Node namespaces = peer.get("namespaceSelector");
      return new Peer(pods.isNull() ? LabelSelector.EVERYTHING : LabelSelector.of(pods),
          namespaces.isNull() ? LabelSelector.NOTHING : LabelSelector.of(namespaces),
          !peer.get("ipBlock").isNull());
    }

    /**
     * Whether the peer admits a pod with {@code podLabels} in {@code podNamespace} (labels
     * {@code namespaceLabels}) for a policy in {@code policyNamespace}.
     */
    public boolean admits(String policyNamespace, String podNamespace, Map<String, String> namespaceLabels,
        Map<String, String> podLabels) {
      if (hasIpBlock) {
        return false;
      }
      boolean namespaceOk = namespaceSelector.isAbsent()
          ? podNamespace.equals(policyNamespace)
          : namespaceSelector.matches(namespaceLabels);
      return namespaceOk && podSelector.matches(podLabels);
    }
  }

  /**
   * The policies of one namespace. Each policy is filed once, under its selector's {@linkplain
   * LabelSelector#indexable() indexable requirement}: under every {@code key=value} of an
   * {@code In}, under the key of an {@code Exists}, else in {@code unindexed}. A pod carries one
   * value per key, so it meets each policy at most once when it looks up its own labels.
   */
  private static final class Bucket {
    final List<Policy> all = new ArrayList<>();
    final Map<KubeObject, Integer> position = new IdentityHashMap<>();
    final Map<String, List<Policy>> byLabel = new HashMap<>();
    final Map<String, List<Policy>> byKey = new HashMap<>();
    final List<Policy> unindexed = new ArrayList<>();

    void add(Policy p) {
      position.put(p.object(), all.size());
      all.add(p);
      Optional<LabelSelector.Requirement> r = p.podSelector().indexable();
      if (r.isEmpty()) {
        unindexed.add(p);
      } else if (r.get().operator() == LabelSelector.Operator.EXISTS) {
        byKey.computeIfAbsent(r.get().key(), k -> new ArrayList<>()).add(p);
      } else {
        r.get().values().forEach(v -> byLabel.computeIfAbsent(label(r.get().key(), v), k -> new ArrayList<>()).add(p));
      }
    }

    /** Offers {@code visit} every policy whose selector matches {@code labels}, until it returns false. */
    boolean forEachSelecting(Map<String, String> labels, Predicate<Policy> visit) {
      if (!visitMatching(unindexed, labels, visit)) {
        return false;
      }
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (!visitMatching(byLabel.getOrDefault(label(l.getKey(), l.getValue()), List.of()), labels, visit)
            || !visitMatching(byKey.getOrDefault(l.getKey(), List.of()), labels, visit)) {
          return false;
        }
      }
      return true;
    }

    private static boolean visitMatching(List<Policy> policies, Map<String, String> labels, Predicate<Policy> visit) {
      for (Policy p : policies) {
        if (p.podSelector().matches(labels) && !visit.test(p)) {
          return false;
        }
      }
      return true;
    }

    private static String label(String key, String value) {
      return key + '=' + value;
    }
  }

  private final Namespaces namespaces;
  private final Map<String, Bucket> byNamespace = new HashMap<>();

  public NetworkPolicies(List<KubeObject> objects, Namespaces namespaces) {
    this.namespaces = namespaces;
    for (KubeObject o : objects) {
      if (isNetworkPolicy(o)) {
        Policy p = read(o);
        byNamespace.computeIfAbsent(p.namespace(), k -> new Bucket()).add(p);
      }
    }
  }

  /** Whether {@code o} is a Kubernetes NetworkPolicy (not a CNI's own kind of the same name). */
  public static boolean isNetworkPolicy(KubeObject o) {
    return o.kind().equals("NetworkPolicy") && o.apiVersion().startsWith("networking.k8s.io/");
  }

  /**
   * Reads one NetworkPolicy object, with its policy types defaulted. An absent or null podSelector
   * is stored by the API server as {@code {}} (the field is no pointer): every pod of the namespace.
   */
  public static Policy read(KubeObject o) {
    Node spec = o.root().get("spec");
    Node pods = spec.get("podSelector");
    LabelSelector selector = pods.isNull() ? LabelSelector.EVERYTHING : LabelSelector.of(pods);
    Node types = spec.get("policyTypes");
    boolean ingress;
    boolean egress;
    if (types.size() == 0) {
      ingress = true;
      egress = spec.get("egress").size() > 0;
    } else {
      ingress = types.items().stream().anyMatch(t -> t.textOr("").equals("Ingress"));
      egress = types.items().stream().anyMatch(t -> t.textOr("").equals("Egress"));
    }
    return new Policy(o, Namespaces.namespaceOf(o).orElse(Namespaces.DEFAULT), selector, ingress, egress);
  }

  /** Every policy, namespace by namespace. */
  public List<Policy> all() {
    return byNamespace.values().stream().flatMap(b -> b.all.stream()).toList();
  }

  /** The policies of {@code namespace}, in input order. */
  public List<Policy> inNamespace(String namespace) {
    Bucket b = byNamespace.get(namespace);
    return b == null ? List.of() : b.all;
  }

  /** The policies that select {@code pod} and isolate it for {@code direction}, in input order. */
  public List<Policy> selecting(PodView pod, Direction direction) {
    Bucket b = bucketOf(pod);
    if (b == null) {
      return List.of();
    }
    List<Policy> out = new ArrayList<>();
    b.forEachSelecting(pod.labels(), p -> {
      if (p.affects(direction)) {
        out.add(p);
      }
      return true;
    });
    out.sort(Comparator.comparingInt(p -> b.position.get(p.object())));
    return out;
  }

  /** Whether some policy selects {@code pod} for {@code direction}; stops at the first. */
  public boolean isolates(PodView pod, Direction direction) {
    return anySelecting(pod, p -> p.affects(direction));
  }

  /** Whether some policy selects {@code pod}, in either direction; stops at the first. */
  public boolean selectsAny(PodView pod) {
    return anySelecting(pod, p -> p.ingress() || p.egress());
  }

  private boolean anySelecting(PodView pod, Predicate<Policy> wanted) {
    Bucket b = bucketOf(pod);
    return b != null && !b.forEachSelecting(pod.labels(), p -> !wanted.test(p));
  }

  private Bucket bucketOf(PodView pod) {
    return byNamespace.get(Namespaces.namespaceOf(pod.object()).orElse(Namespaces.DEFAULT));
  }

  /** The namespaces of the scan whose labels {@code selector} matches. */
  public List<String> namespacesMatching(LabelSelector selector) {
    return namespaces.names().stream().filter(n -> selector.matches(namespaces.labels(n))).toList();
  }
}

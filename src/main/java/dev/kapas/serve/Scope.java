package dev.kapas.serve;

import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.Namespaces;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.CustomRules;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cached cluster indexed so that an admission request takes only the objects that can change
 * what the rules find about the object it carries: the cluster-scoped objects (Namespaces and
 * their labels, ClusterRoles and their bindings, admission policies, CRDs), every Role and
 * RoleBinding (a RoleBinding in any namespace can grant a ServiceAccount rights, which
 * automount-service-account-token weighs), the objects of the kinds that admission policies take
 * their params from, and the objects of the incoming object's own namespace (its NetworkPolicies,
 * ServiceAccount, pods, the namespace's counts), or for a Namespace, of the namespace it is. The
 * per-object rules' lookups reach no further, and neither do the inventory rules that can report
 * on such an object ({@link dev.kapas.engine.InventoryRule#mayReportOn}). What it answers does not
 * change (its RBAC graph is made once, on first use); kapas serve makes a new one when the cache
 * has changed.
 */
final class Scope {
  private static final String POLICY = "ValidatingAdmissionPolicy";
  /** Namespaced kinds read across namespaces. */
  private static final List<String> EVERYWHERE = List.of("Role", "RoleBinding");
  /** The kinds the RBAC graph is made of. */
  private static final Set<String> RBAC_KINDS = Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
      "CustomResourceDefinition");

  private final List<KubeObject> objects;
  private final List<Integer> shared = new ArrayList<>();
  private final Map<String, List<Integer>> byNamespace = new HashMap<>();
  private final Map<String, List<Integer>> byKind = new HashMap<>();
  private final Set<String> paramKinds = new TreeSet<>();
  private RbacGraph rbac;

  /** {@code objects} in the order a full scan of the cache reads them. */
  Scope(List<KubeObject> objects) {
    this.objects = List.copyOf(objects);
    for (int i = 0; i < this.objects.size(); i++) {
      KubeObject o = this.objects.get(i);
      byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(i);
      Optional<String> ns = Namespaces.namespaceOf(o);
      if (ns.isPresent()) {
        byNamespace.computeIfAbsent(ns.get(), k -> new ArrayList<>()).add(i);
      } else {
        shared.add(i);
      }
      paramKind(o).ifPresent(paramKinds::add);
    }
  }

  static final Scope EMPTY = new Scope(List.of());

  /**
   * The objects a full scan of the cache with {@code incoming} added would judge it among, in
   * that scan's order: the cached copy of {@code incoming} (same kind, namespace and name) left
   * out, {@code incoming} last. {@code lookups} name further objects the rules read (custom
   * rules' {@code paramsFrom}).
   */
  List<KubeObject> around(KubeObject incoming, List<CustomRules.ParamsRef> lookups) {
    return around(incoming, lookups, true);
  }

  /**
   * The inventory to judge {@code incoming} in: its objects {@linkplain #around}; when {@code
   * incoming} is no role, binding or CRD, the RBAC graph is the one of the whole cache, made once,
   * and the Roles and RoleBindings of other namespaces, there only for it, are left out.
   */
  Inventory inventory(KubeObject incoming, List<CustomRules.ParamsRef> lookups) {
    if (RBAC_KINDS.contains(incoming.kind())) {
      return new Inventory(around(incoming, lookups, true), List.of(), List.of());
    }
    return Inventory.withRbac(around(incoming, lookups, false), rbac());
  }

  private synchronized RbacGraph rbac() {
    if (rbac == null) {
      rbac = RbacGraph.of(objects);
    }
    return rbac;
  }

  private List<KubeObject> around(KubeObject incoming, List<CustomRules.ParamsRef> lookups, boolean everyRole) {
    BitSet take = new BitSet(objects.size());
    shared.forEach(take::set);
    if (everyRole) {
      EVERYWHERE.forEach(kind -> byKind.getOrDefault(kind, List.of()).forEach(take::set));
    }
    Set<String> params = new TreeSet<>(paramKinds);
    paramKind(incoming).ifPresent(params::add);
    params.forEach(kind -> byKind.getOrDefault(kind, List.of()).forEach(take::set));
    String namespace = incoming.kind().equals("Namespace") ? incoming.name()
        : Namespaces.namespaceOf(incoming).orElse(null);
    if (namespace != null) {
      byNamespace.getOrDefault(namespace, List.of()).forEach(take::set);
    }
    for (CustomRules.ParamsRef ref : lookups) {
      for (int i : byKind.getOrDefault(ref.kind(), List.of())) {
        KubeObject o = objects.get(i);
        if (o.namespace().equals(ref.namespace()) && o.name().equals(ref.name())) {
          take.set(i);
        }
      }
    }
    List<KubeObject> out = new ArrayList<>(take.cardinality() + 1);
    for (int i = take.nextSetBit(0); i >= 0; i = take.nextSetBit(i + 1)) {
      KubeObject o = objects.get(i);
      if (!sameObject(o, incoming)) {
        out.add(o);
      }
    }
    out.add(incoming);
    return out;
  }

  /** Whether {@code a} and {@code b} are the same object of the cluster: kind, namespace and name. */
  static boolean sameObject(KubeObject a, KubeObject b) {
    return a.kind().equals(b.kind()) && a.namespace().equals(b.namespace()) && a.name().equals(b.name());
  }

  private static Optional<String> paramKind(KubeObject o) {
    if (!o.kind().equals(POLICY)) {
      return Optional.empty();
    }
    return o.root().path("spec", "paramKind", "kind").text().filter(k -> !k.isEmpty());
  }
}

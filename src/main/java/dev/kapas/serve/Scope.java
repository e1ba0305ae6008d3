package dev.kapas.serve;

import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.Namespaces;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.CustomRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The cached cluster indexed so that an admission request takes only the objects that can change
 * what the rules find about the object it carries: the cluster-scoped objects (Namespaces and
 * their labels, ClusterRoles and their bindings, admission policies, CRDs), every Role and
 * RoleBinding (a RoleBinding in any namespace can grant a ServiceAccount rights, which
 * automount-service-account-token weighs), the objects of the kinds that admission policies take
 * their params from, and the objects of the incoming object's own namespace (its NetworkPolicies,
 * ServiceAccount, pods, the namespace's counts), or for a Namespace, of the namespace it is. The
 * per-object rules' lookups reach no further, and neither do the inventory rules that can report
 * on such an object ({@link dev.kapas.engine.InventoryRule#mayReportOn}).
 *
 * <p>kapas serve keeps one for the informer cache and updates it object by object as the cache
 * changes ({@link #put}, {@link #remove}): an update touches the object's own kind and namespace
 * groups, and the RBAC graph (made on first use) is made again only after a role, binding or CRD
 * changed. Its objects are in one order whatever order they came in (by kind, namespace and
 * name), so an index updated this way answers exactly as one made afresh from the same objects.
 * Thread-safe: requests read it while the cache's events update it.
 */
final class Scope {
  private static final String POLICY = "ValidatingAdmissionPolicy";
  /** Namespaced kinds read across namespaces. */
  private static final List<String> EVERYWHERE = List.of("Role", "RoleBinding");
  /** The kinds the RBAC graph is made of. */
  private static final Set<String> RBAC_KINDS = Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
      "CustomResourceDefinition");

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Every object by {@link #key}; the groups below map the same keys, in key order. */
  private final Map<String, KubeObject> all = new HashMap<>();
  private final NavigableMap<String, KubeObject> shared = new TreeMap<>();
  private final Map<String, NavigableMap<String, KubeObject>> byNamespace = new HashMap<>();
  private final Map<String, NavigableMap<String, KubeObject>> byKind = new HashMap<>();
  private static final NavigableMap<String, KubeObject> NONE = java.util.Collections.emptyNavigableMap();
  /** The RBAC graph of the objects now; null until asked for, and after a role, binding or CRD changed. */
  private volatile RbacGraph rbac;

  /** {@code objects} indexed (of two with the same kind, namespace and name, the later). */
  Scope(Collection<KubeObject> objects) {
    objects.forEach(this::put);
  }

  static final Scope EMPTY = new Scope(List.of());

  /** Where an object is kept: kind, namespace and name, as the cluster knows it. */
  static String key(String kind, String namespace, String name) {
    return kind + '/' + namespace + '/' + name;
  }

  private static String key(KubeObject o) {
    return key(o.kind(), o.namespace(), o.name());
  }

  /** Adds {@code o}, or replaces the object of its kind, namespace and name. */
  void put(KubeObject o) {
    String key = key(o);
    lock.writeLock().lock();
    try {
      KubeObject old = all.put(key, o);
      if (old != null) {
        unindex(key, old);
      }
      group(byKind, o.kind()).put(key, o);
      Optional<String> ns = Namespaces.namespaceOf(o);
      (ns.isPresent() ? group(byNamespace, ns.get()) : shared).put(key, o);
      if (RBAC_KINDS.contains(o.kind()) || old != null && RBAC_KINDS.contains(old.kind())) {
        rbac = null;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the object of this kind, namespace ("" for none) and name, if there is one. */
  void remove(String kind, String namespace, String name) {
    String key = key(kind, namespace, name);
    lock.writeLock().lock();
    try {
      KubeObject old = all.remove(key);
      if (old != null) {
        unindex(key, old);
        if (RBAC_KINDS.contains(old.kind())) {
          rbac = null;
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void unindex(String key, KubeObject old) {
    ungroup(byKind, old.kind(), key);
    Optional<String> ns = Namespaces.namespaceOf(old);
    if (ns.isPresent()) {
      ungroup(byNamespace, ns.get(), key);
    } else {
      shared.remove(key);
    }
  }

  private static NavigableMap<String, KubeObject> group(Map<String, NavigableMap<String, KubeObject>> groups,
      String name) {
    return groups.computeIfAbsent(name, k -> new TreeMap<>());
  }

  private static void ungroup(Map<String, NavigableMap<String, KubeObject>> groups, String name, String key) {
    NavigableMap<String, KubeObject> group = groups.get(name);
    if (group != null) {
      group.remove(key);
      if (group.isEmpty()) {
        groups.remove(name);
      }
    }
  }

  /**
   * The objects a full scan of the cache with {@code incoming} added would judge it among, in
   * this index's order: the cached copy of {@code incoming} (same kind, namespace and name) left
   * out, {@code incoming} last. {@code lookups} name further objects the rules read (custom
   * rules' {@code paramsFrom}).
   */
  List<KubeObject> around(KubeObject incoming, List<CustomRules.ParamsRef> lookups) {
    return around(incoming, lookups, true);
  }

  /**
   * The inventory to judge {@code incoming} in: its objects {@linkplain #around}; when {@code
   * incoming} is no role, binding or CRD, the RBAC graph is the one of the whole cache, made once
   * per change of the roles, bindings and CRDs, and the Roles and RoleBindings of other
   * namespaces, there only for it, are left out.
   */
  Inventory inventory(KubeObject incoming, List<CustomRules.ParamsRef> lookups) {
    if (RBAC_KINDS.contains(incoming.kind())) {
      return new Inventory(around(incoming, lookups, true), List.of(), List.of());
    }
    lock.readLock().lock();
    try {
      return Inventory.withRbac(around(incoming, lookups, false), rbac());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The RBAC graph; called with the read lock held, so no change comes between it and the objects. */
  private RbacGraph rbac() {
    RbacGraph graph = rbac;
    if (graph == null) {
      synchronized (this) {
        graph = rbac;
        if (graph == null) {
          List<KubeObject> rbacObjects = new ArrayList<>();
          RBAC_KINDS.stream().sorted().forEach(kind -> rbacObjects.addAll(byKind.getOrDefault(kind, NONE).values()));
          graph = RbacGraph.of(rbacObjects);
          rbac = graph;
        }
      }
    }
    return graph;
  }

  private List<KubeObject> around(KubeObject incoming, List<CustomRules.ParamsRef> lookups, boolean everyRole) {
    lock.readLock().lock();
    try {
      TreeMap<String, KubeObject> take = new TreeMap<>(shared);
      if (everyRole) {
        EVERYWHERE.forEach(kind -> take.putAll(byKind.getOrDefault(kind, NONE)));
      }
      Set<String> params = new TreeSet<>();
      byKind.getOrDefault(POLICY, NONE).values().forEach(p -> paramKind(p).ifPresent(params::add));
      paramKind(incoming).ifPresent(params::add);
      params.forEach(kind -> take.putAll(byKind.getOrDefault(kind, NONE)));
      String namespace = incoming.kind().equals("Namespace") ? incoming.name()
          : Namespaces.namespaceOf(incoming).orElse(null);
      if (namespace != null) {
        take.putAll(byNamespace.getOrDefault(namespace, NONE));
      }
      for (CustomRules.ParamsRef ref : lookups) {
        String key = key(ref.kind(), ref.namespace(), ref.name());
        KubeObject o = all.get(key);
        if (o != null) {
          take.put(key, o);
        }
      }
      List<KubeObject> out = new ArrayList<>(take.size() + 1);
      for (KubeObject o : take.values()) {
        if (!sameObject(o, incoming)) {
          out.add(o);
        }
      }
      out.add(incoming);
      return out;
    } finally {
      lock.readLock().unlock();
    }
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

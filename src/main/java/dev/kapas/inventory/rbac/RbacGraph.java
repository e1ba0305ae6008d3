package dev.kapas.inventory.rbac;

import dev.kapas.inventory.LabelSelector;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what, from the Roles, ClusterRoles and bindings a scan read; built once per scan
 * (see {@code Inventory.rbac()}) in time linear in the objects, plus the aggregating ClusterRoles
 * times the ClusterRoles. Only objects in the scan count: a binding to a role the scan did not
 * read grants nothing here (except {@code cluster-admin}, whose rules are fixed upstream, see
 * {@link BuiltInRoles}), and a role no binding refers to is held by no one.
 */
public final class RbacGraph {
  static final String ROLE = "Role";
  static final String CLUSTER_ROLE = "ClusterRole";
  static final String ROLE_BINDING = "RoleBinding";
  static final String CLUSTER_ROLE_BINDING = "ClusterRoleBinding";
  static final String GROUP = "rbac.authorization.k8s.io/";
  static final Set<String> KINDS = Set.of(ROLE, CLUSTER_ROLE, ROLE_BINDING, CLUSTER_ROLE_BINDING);
  /** Where a manifest without a namespace lands (the kubectl context's, normally this). */
  static final String DEFAULT_NAMESPACE = "default";

  private final List<Role> roles;
  private final List<Binding> bindings;
  private final Map<String, Role> roleByKey = new HashMap<>();
  private final Map<String, List<Binding>> bindingsByRole = new HashMap<>();
  /** ClusterRole key to the aggregating ClusterRoles that take in its rules, transitively. */
  private final Map<String, List<Role>> aggregatedInto;
  private final ClusterScoped clusterScoped;
  /** {@link Subject#userName()} of every subject that a binding to a role of the scan names. */
  private final Set<String> holders = new HashSet<>();

  private RbacGraph(List<Role> roles, List<Binding> bindings, Map<String, List<Role>> aggregatedInto,
      ClusterScoped clusterScoped) {
    this.clusterScoped = clusterScoped;
    this.roles = List.copyOf(roles);
    this.bindings = List.copyOf(bindings);
    this.aggregatedInto = aggregatedInto;
    for (Role r : this.roles) {
      roleByKey.putIfAbsent(r.key(), r);
    }
    for (Binding b : this.bindings) {
      bindingsByRole.computeIfAbsent(b.roleKey(), k -> new ArrayList<>()).add(b);
      if (roleByKey.containsKey(b.roleKey())) {
        b.subjects().forEach(s -> holders.add(s.kind() + ':' + s.userName()));
      }
    }
  }

  /**
   * Builds the graph from every RBAC object among {@code objects}; of the other kinds, only
   * CustomResourceDefinitions count, for the scope of their resources.
   */
  public static RbacGraph of(List<KubeObject> objects) {
    return of(objects, Set.of());
  }

  /**
   * As {@link #of(List)}, knowing more cluster-scoped resources ({@code plural.group}, such as a
   * live server's discovery lists), which RoleBindings cannot grant.
   */
  public static RbacGraph of(List<KubeObject> objects, Set<String> clusterScopedResources) {
    List<KubeObject> roleObjects = new ArrayList<>();
    List<Binding> bindings = new ArrayList<>();
    List<KubeObject> crds = new ArrayList<>();
    for (KubeObject o : objects) {
      if (ClusterScoped.isCrd(o)) {
        crds.add(o);
      }
      if (!o.apiVersion().startsWith(GROUP)) {
        continue;
      }
      switch (o.kind()) {
        case ROLE, CLUSTER_ROLE -> roleObjects.add(o);
        case ROLE_BINDING, CLUSTER_ROLE_BINDING -> bindings.add(binding(o));
        default -> { }
      }
    }
    boolean adminDefined = roleObjects.stream()
        .anyMatch(o -> o.kind().equals(CLUSTER_ROLE) && o.name().equals(BuiltInRoles.CLUSTER_ADMIN));
    boolean adminBound = bindings.stream()
        .anyMatch(b -> b.roleKind().equals(CLUSTER_ROLE) && b.roleName().equals(BuiltInRoles.CLUSTER_ADMIN));
    if (adminBound && !adminDefined) {
      roleObjects.add(BuiltInRoles.clusterAdmin());
    }
    return new Builder(roleObjects).build(bindings, new ClusterScoped(crds, clusterScopedResources));
  }

  public List<Role> roles() {
    return roles;
  }

  public List<Binding> bindings() {
    return bindings;
  }

  /** The role a binding refers to, when the scan read it. */
  public Optional<Role> role(Binding binding) {
    return Optional.ofNullable(roleByKey.get(binding.roleKey()));
  }

  /** The bindings that refer to {@code role} directly. */
  public List<Binding> bindingsOf(Role role) {
    return bindingsByRole.getOrDefault(role.key(), List.of());
  }

  /** The aggregating ClusterRoles that take in {@code role}'s rules (directly or through others). */
  public List<Role> aggregatedInto(Role role) {
    return aggregatedInto.getOrDefault(role.key(), List.of());
  }

  /**
   * The bindings through which {@code role}'s own rules are held: those referring to it, and
   * those referring to a ClusterRole that aggregates it.
   */
  public List<Binding> holdersOf(Role role) {
    List<Binding> direct = bindingsOf(role);
    List<Role> into = aggregatedInto(role);
    if (into.isEmpty()) {
      return direct;
    }
    List<Binding> out = new ArrayList<>(direct);
    for (Role r : into) {
      out.addAll(bindingsOf(r));
    }
    return out;
  }

  /**
   * Every grant of {@code verb} on {@code resource[/subresource]}: through which binding, role
   * and rule which subject holds it. {@code group} empty means any API group; {@code namespace}
   * empty means any namespace (else ClusterRoleBindings plus that namespace's RoleBindings).
   * RoleBindings never grant cluster-scoped resources (a Namespace aside, see {@link ClusterScoped}).
   */
  public List<Grant> whoCan(String verb, Optional<String> group, String resource, String subresource,
      String namespace) {
    boolean byRoleBinding = clusterScoped.grantableByRoleBinding(verb, group, resource);
    List<Grant> out = new ArrayList<>();
    for (Binding b : bindings) {
      if (!b.cluster() && (!byRoleBinding || (!namespace.isEmpty() && !b.namespace().equals(namespace)))) {
        continue;
      }
      Role role = roleByKey.get(b.roleKey());
      if (role == null) {
        continue;
      }
      for (PolicyRule rule : role.rules()) {
        if (rule.allows(verb, group.orElse(null), resource, subresource)) {
          for (Subject s : b.subjects()) {
            out.add(new Grant(s, b, role, rule));
          }
        }
      }
    }
    return out;
  }

  /** Every grant of {@code verb} on the non-resource URL {@code url} (always cluster-wide). */
  public List<Grant> whoCanUrl(String verb, String url) {
    List<Grant> out = new ArrayList<>();
    for (Binding b : bindings) {
      Role role = roleByKey.get(b.roleKey());
      if (!b.cluster() || role == null) {
        continue;
      }
      for (PolicyRule rule : role.rules()) {
        if (rule.allowsVerb(verb) && rule.coversUrl(url)) {
          for (Subject s : b.subjects()) {
            out.add(new Grant(s, b, role, rule));
          }
        }
      }
    }
    return out;
  }

  /** Whether some binding of the scan names {@code subject} (as itself, not through a group) for a role the scan read. */
  public boolean holdsRights(Subject subject) {
    return holders.contains(subject.kind() + ':' + subject.userName());
  }

  /** Every grant to {@code subject}: its effective rules, each with the namespace it applies in. */
  public List<Grant> grantsTo(Subject subject) {
    List<Grant> out = new ArrayList<>();
    for (Binding b : bindings) {
      Role role = roleByKey.get(b.roleKey());
      if (role == null) {
        continue;
      }
      for (Subject s : b.subjects()) {
        if (s.sameAs(subject)) {
          for (PolicyRule rule : role.rules()) {
            out.add(new Grant(s, b, role, rule));
          }
        }
      }
    }
    return out;
  }

  /**
   * The verbs {@code subject} holds on {@code resource[/subresource]} in {@code namespace}
   * (empty: cluster-wide grants only), as the rules write them ({@code *} included), in
   * first-seen order.
   */
  public Set<String> verbs(Subject subject, String namespace, Optional<String> group, String resource,
      String subresource) {
    Set<String> out = new LinkedHashSet<>();
    for (Grant g : grantsTo(subject)) {
      boolean cluster = g.binding().cluster();
      if ((cluster || g.scope().equals(namespace)) && g.rule().covers(group.orElse(null), resource, subresource)) {
        g.rule().verbs().stream().filter(v -> cluster || clusterScoped.grantableByRoleBinding(v, group, resource))
            .forEach(out::add);
      }
    }
    return out;
  }

  static String key(String kind, String namespace, String name) {
    return kind + '\u0000' + namespace + '\u0000' + name;
  }

  private static String namespaceOf(KubeObject o) {
    return o.namespace().isEmpty() ? DEFAULT_NAMESPACE : o.namespace();
  }

  private static Binding binding(KubeObject o) {
    boolean cluster = o.kind().equals(CLUSTER_ROLE_BINDING);
    String namespace = cluster ? "" : namespaceOf(o);
    Field root = Field.root(o.root());
    Field roleRef = root.get("roleRef");
    List<Subject> subjects = new ArrayList<>();
    Field list = root.get("subjects");
    for (int i = 0; i < list.node().size(); i++) {
      Field at = list.get(i);
      Node s = at.node();
      String kind = s.get("kind").textOr("");
      String ns = "";
      if (kind.equals(Subject.SERVICE_ACCOUNT)) {
        ns = s.get("namespace").textOr(namespace);
      }
      subjects.add(new Subject(kind, s.get("name").textOr(""), ns, at));
    }
    String roleKind = roleRef.node().get("kind").textOr(CLUSTER_ROLE);
    return new Binding(o, cluster, namespace, o.name(), roleKind.equals(ROLE) ? ROLE : CLUSTER_ROLE,
        roleRef.node().get("name").textOr(""), roleRef, subjects, UpstreamDefaults.isDefault(o));
  }

  /** Resolves aggregation once: each aggregating ClusterRole against every ClusterRole. */
  private static final class Builder {
    private final Map<String, KubeObject> objects = new LinkedHashMap<>();
    private final Map<String, List<PolicyRule>> ownRules = new HashMap<>();
    private final Map<String, List<String>> components = new HashMap<>();
    private final Map<String, List<PolicyRule>> effective = new HashMap<>();

    Builder(List<KubeObject> roleObjects) {
      List<KubeObject> clusterRoles = new ArrayList<>();
      for (KubeObject o : roleObjects) {
        String key = keyOf(o);
        if (objects.putIfAbsent(key, o) != null) {
          continue;
        }
        Field rules = Field.root(o.root()).get("rules");
        List<PolicyRule> own = new ArrayList<>(rules.node().size());
        for (int i = 0; i < rules.node().size(); i++) {
          own.add(PolicyRule.of(o, rules.get(i)));
        }
        ownRules.put(key, own);
        if (o.kind().equals(CLUSTER_ROLE)) {
          clusterRoles.add(o);
        }
      }
      for (KubeObject o : clusterRoles) {
        Node selectors = o.root().path("aggregationRule", "clusterRoleSelectors");
        if (o.root().path("aggregationRule").isMissing()) {
          continue;
        }
        // a null entry is stored as {} (the list holds no pointers): every ClusterRole
        List<LabelSelector> parsed = selectors.items().stream()
            .map(n -> n.isNull() ? LabelSelector.EVERYTHING : LabelSelector.of(n)).toList();
        List<String> matched = new ArrayList<>();
        for (KubeObject other : clusterRoles) {
          if (other != o && parsed.stream().anyMatch(s -> s.matches(other.labels()))) {
            matched.add(keyOf(other));
          }
        }
        components.put(keyOf(o), matched);
      }
    }

    RbacGraph build(List<Binding> bindings, ClusterScoped clusterScoped) {
      List<Role> roles = new ArrayList<>();
      Map<String, List<Role>> into = new HashMap<>();
      Map<String, Role> byKey = new HashMap<>();
      for (Map.Entry<String, KubeObject> e : objects.entrySet()) {
        KubeObject o = e.getValue();
        boolean cluster = o.kind().equals(CLUSTER_ROLE);
        Role role = new Role(o, cluster, cluster ? "" : namespaceOf(o), o.name(), ownRules.get(e.getKey()),
            effective(e.getKey(), new HashSet<>()), components.containsKey(e.getKey()),
            UpstreamDefaults.isDefault(o));
        roles.add(role);
        byKey.put(e.getKey(), role);
      }
      for (String aggregate : components.keySet()) {
        for (String component : reachable(aggregate)) {
          into.computeIfAbsent(component, k -> new ArrayList<>()).add(byKey.get(aggregate));
        }
      }
      return new RbacGraph(roles, bindings, into, clusterScoped);
    }

    /**
     * Own rules; for an aggregating role, its components' effective rules instead. The
     * aggregation controller replaces whatever rules an aggregating role has with its
     * components' rules: read from a live cluster they are the controller's copy, written in a
     * manifest they are overwritten once applied. Either way each rule is found where it is written.
     */
    private List<PolicyRule> effective(String key, Set<String> visiting) {
      List<PolicyRule> done = effective.get(key);
      if (done != null) {
        return done;
      }
      List<String> parts = components.get(key);
      if (parts == null || !visiting.add(key)) {
        return parts == null ? ownRules.get(key) : List.of(); // a cycle adds nothing new
      }
      List<PolicyRule> out = new ArrayList<>();
      for (String part : parts) {
        out.addAll(effective(part, visiting));
      }
      visiting.remove(key);
      effective.put(key, out);
      return out;
    }

    private Set<String> reachable(String aggregate) {
      Set<String> seen = new LinkedHashSet<>();
      List<String> todo = new ArrayList<>(components.get(aggregate));
      while (!todo.isEmpty()) {
        String k = todo.remove(todo.size() - 1);
        if (!k.equals(aggregate) && seen.add(k)) {
          todo.addAll(components.getOrDefault(k, List.of()));
        }
      }
      return seen;
    }

    private static String keyOf(KubeObject o) {
      boolean cluster = o.kind().equals(CLUSTER_ROLE);
      return key(o.kind(), cluster ? "" : namespaceOf(o), o.name());
    }
  }
}

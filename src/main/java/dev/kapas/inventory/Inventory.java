package dev.kapas.inventory;

import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.inventory.rbac.UpstreamDefaults;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.KubeObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a scan read, immutable: the objects in input order, the input errors and notes, and
 * lookups that rules share instead of each walking the whole list.
 */
public final class Inventory {
  private final List<KubeObject> objects;
  private final List<Fact> facts;
  private final List<Diagnostic> errors;
  private final List<Diagnostic> notes;
  private List<Diagnostic> allNotes;
  /** Built on first use: kapas serve makes an inventory per request and most never look an object up. */
  private volatile Map<String, KubeObject> byIdentity;
  private Namespaces namespaces;
  private NetworkPolicies networkPolicies;
  private ServiceAccounts serviceAccounts;
  private RbacGraph rbac;

  public Inventory(List<KubeObject> objects, List<Diagnostic> errors, List<Diagnostic> notes) {
    this(objects, List.of(), errors, notes);
  }

  public Inventory(List<KubeObject> objects, List<? extends Fact> facts, List<Diagnostic> errors,
      List<Diagnostic> notes) {
    this.objects = List.copyOf(objects);
    this.facts = List.copyOf(facts);
    this.errors = List.copyOf(errors);
    this.notes = List.copyOf(notes);
  }

  /**
   * An inventory of {@code objects} whose RBAC graph is {@code rbac}, built before from objects
   * with the same roles, bindings and CustomResourceDefinitions in the same order (kapas serve:
   * one graph of the cached cluster for every request whose object is none of those).
   */
  public static Inventory withRbac(List<KubeObject> objects, RbacGraph rbac) {
    Inventory inventory = new Inventory(objects, List.of(), List.of());
    inventory.rbac = rbac;
    return inventory;
  }

  public List<KubeObject> objects() {
    return objects;
  }

  /** What collectors observed besides objects (node files, component flags, port answers). */
  public List<Fact> facts() {
    return facts;
  }

  /** The facts of one type, in the order collected. */
  public <T extends Fact> List<T> facts(Class<T> type) {
    return facts.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Inputs that could not be read or parsed (exit code 3). */
  public List<Diagnostic> errors() {
    return errors;
  }

  /**
   * Things skipped on purpose, such as documents without apiVersion/kind, and label selectors the
   * API server would refuse (see {@link RefusedSelectors}).
   */
  public synchronized List<Diagnostic> notes() {
    if (allNotes == null) {
      List<Diagnostic> all = new ArrayList<>(notes);
      all.addAll(RefusedSelectors.of(objects));
      all.addAll(UpstreamDefaults.lookalikes(objects));
      allNotes = List.copyOf(all);
    }
    return allNotes;
  }

  /** The object of this kind, namespace and name, if the scan read it. */
  public Optional<KubeObject> find(String kind, String namespace, String name) {
    Map<String, KubeObject> index = byIdentity;
    if (index == null) {
      index = new HashMap<>();
      for (KubeObject o : objects) {
        index.putIfAbsent(identity(o.kind(), o.namespace(), o.name()), o);
      }
      byIdentity = index;
    }
    return Optional.ofNullable(index.get(identity(kind, namespace, name)));
  }

  /** Namespaces in the scan, their objects, pods and labels; built on first use. */
  public synchronized Namespaces namespaces() {
    if (namespaces == null) {
      namespaces = new Namespaces(objects);
    }
    return namespaces;
  }

  /** NetworkPolicies by namespace, and which select a pod per direction; built on first use. */
  public synchronized NetworkPolicies networkPolicies() {
    if (networkPolicies == null) {
      networkPolicies = new NetworkPolicies(objects, namespaces());
    }
    return networkPolicies;
  }

  /** ServiceAccounts and the pods that run as them; built on first use. */
  public synchronized ServiceAccounts serviceAccounts() {
    if (serviceAccounts == null) {
      serviceAccounts = new ServiceAccounts(objects, namespaces());
    }
    return serviceAccounts;
  }

  /** Who may do what: the RBAC graph of the scan's roles and bindings, built on first use. */
  public synchronized RbacGraph rbac() {
    if (rbac == null) {
      rbac = RbacGraph.of(objects);
    }
    return rbac;
  }

  private static String identity(String kind, String namespace, String name) {
    return kind + '\u0000' + namespace + '\u0000' + name;
  }
}

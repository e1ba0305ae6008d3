package dev.kapas.source.cluster;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.KubeObject;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.source.Failures;
import dev.kapas.source.manifest.JsonDocuments;
import dev.kapas.source.manifest.YamlTreeReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live cluster as kapas serve sees it: one fabric8 shared informer (list, then watch) per kind
 * the rules read, each object kept in the same tree {@link ClusterSource} builds, named {@code
 * cluster/<context>/<kind>/<namespace>/<name>}. Read-only. Secrets are not cached (an informer
 * would hold their values in memory): rules that read Secrets see none here.
 */
public final class ClusterCache implements AutoCloseable {
  private final String context;
  private final JsonDocuments json = new JsonDocuments(YamlTreeReader.Limits.DEFAULT);
  private final Map<String, KubeObject> objects = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new CopyOnWriteArrayList<>();
  private final List<Diagnostic> problems = new CopyOnWriteArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Told of each change to the cache, in the order the cache made them. */
  public interface Listener {
    /** {@code o} was added, or replaced the object of its kind, namespace and name. */
    void put(KubeObject o);

    /** The object of this kind, namespace ("" for none) and name was deleted. */
    void removed(String kind, String namespace, String name);
  }

  private ClusterCache(String context) {
    this.context = context;
  }

  /**
   * Discovers the kinds the server serves and starts an informer for each; returns at once (see
   * {@link #synced()}).
   *
   * @throws java.io.IOException when discovery fails (the server cannot be reached)
   */
  public static ClusterCache start(Connection connection, java.time.Duration timeout) throws java.io.IOException {
    ClusterCache cache = new ClusterCache(connection.context());
    ClusterSource source = new ClusterSource(connection.http(), connection.server(), connection.context(),
        new ClusterSource.Options(List.of(), java.util.Set.of(), timeout, 500, 1));
    Map<ApiResource, String> served;
    List<Diagnostic> notes = new ArrayList<>();
    try {
      served = source.discover(System.nanoTime() + timeout.toNanos(), notes);
    } catch (ClusterSource.ApiException e) {
      throw new java.io.IOException("cannot read the cluster at " + connection.server() + ": " + e.getMessage());
    }
    KubernetesClient client = connection.client();
    for (Map.Entry<ApiResource, String> e : served.entrySet()) {
      ApiResource r = e.getKey();
      if (r.metadataOnly()) {
        continue;
      }
      cache.inform(client, r, e.getValue());
    }
    return cache;
  }

  private void inform(KubernetesClient client, ApiResource r, String version) {
    ResourceDefinitionContext kind = new ResourceDefinitionContext.Builder()
        .withGroup(r.group()).withVersion(version).withPlural(r.plural()).withKind(r.kind())
        .withNamespaced(r.namespaced()).build();
    String apiVersion = ApiResource.apiVersion(r.group(), version);
    var resources = client.genericKubernetesResources(kind);
    SharedIndexInformer<GenericKubernetesResource> informer = r.namespaced()
        ? resources.inAnyNamespace().runnableInformer(0) : resources.runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        put(client, obj, apiVersion, r);
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        put(client, newObj, apiVersion, r);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        String namespace = obj.getMetadata().getNamespace() == null ? "" : obj.getMetadata().getNamespace();
        String name = obj.getMetadata().getName();
        synchronized (listeners) {
          objects.remove(key(r.kind(), namespace, name));
          listeners.forEach(l -> l.removed(r.kind(), namespace, name));
        }
      }
    });
    informers.add(informer);
    informer.start().whenComplete((ok, failure) -> {
      if (failure != null) {
        problems.add(Diagnostic.ofFile(ClusterSource.originPrefix(context, r.kind()),
            "not cached: " + Failures.describe(failure)));
      }
    });
  }

  private void put(KubernetesClient client, GenericKubernetesResource obj, String apiVersion, ApiResource r) {
    byte[] bytes = client.getKubernetesSerialization().asJson(obj).getBytes(StandardCharsets.UTF_8);
    Optional<Node> tree = json.read(bytes);
    if (tree.isPresent() && tree.get() instanceof MapNode map) {
      MapNode object = ClusterSource.object(map, apiVersion, r);
      KubeObject o = new KubeObject(object, new Origin("", 1, 0, 0));
      KubeObject cached = new KubeObject(object, new Origin(origin(o), 1, 0, 0));
      synchronized (listeners) {
        objects.put(key(r.kind(), o.namespace(), o.name()), cached);
        listeners.forEach(l -> l.put(cached));
      }
    }
  }

  /** Where an object of this cluster is said to be: {@code cluster/<context>/<kind>/<namespace>/<name>}. */
  public String origin(KubeObject o) {
    return ClusterSource.originPrefix(context, o.kind()) + (o.namespace().isEmpty() ? "" : "/" + o.namespace())
        + "/" + o.name();
  }

  public static String key(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }

  /** Whether every informer has listed its kind once (or failed to, as {@link #problems()} says). */
  public boolean synced() {
    for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
      if (!i.hasSynced() && i.isRunning()) {
        return false;
      }
    }
    return true;
  }

  /** Kinds that could not be cached (forbidden, failed). */
  public List<Diagnostic> problems() {
    return List.copyOf(problems);
  }

  public String context() {
    return context;
  }

  public Optional<KubeObject> find(String kind, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(kind, namespace, name)));
  }

  /** Every cached object, as of now. */
  public List<KubeObject> objects() {
    return new ArrayList<>(objects.values());
  }

  /**
   * Tells {@code listener} of every object cached now, then of every change from now on, with
   * nothing missed or told twice in between.
   */
  public void listen(Listener listener) {
    synchronized (listeners) {
      objects.values().forEach(listener::put);
      listeners.add(listener);
    }
  }

  /** The cached objects without the pods and ReplicaSets a cached controller owns, as kapas cluster leaves them out. */
  public List<KubeObject> scanned(List<Diagnostic> notes) {
    return ClusterSource.withoutOwned(objects(), notes, "cluster/" + context);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }
}

package dev.kapas.source.probe;

import dev.kapas.source.Failures;
import dev.kapas.source.cluster.Connection;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code kapas probe --from-cluster}: the addresses to probe, from the cluster the kubeconfig's
 * context names — the API server's host, its endpoints ({@code default/kubernetes}) and every
 * node's InternalIP and ExternalIP — plus the NodePorts its Services use (for
 * {@code --nodeports sample}). Three read-only {@code GET}s to the API server through the
 * {@link Connection} {@code kapas cluster} uses (the kubeconfig's own credentials, as kubectl
 * uses them); the credentials go to that server only, never to a probed port, and are never printed.
 */
public final class ClusterTargets {
  private ClusterTargets() {}

  /** The kubeconfig cannot be used, or the API server did not answer: one line, no secret in it. */
  public static final class ClusterError extends Exception {
    public ClusterError(String message) {
      super(message);
    }
  }

  /**
   * What the cluster named.
   *
   * @param hosts each address once, in the order found, with where it came from
   * @param nodePorts the {@code nodePort}s the cluster's Services use
   * @param server the API server's URL
   */
  public record Result(Map<String, String> hosts, List<Integer> nodePorts, String server) {}

  /**
   * Reads the cluster {@code connection} reaches (the kubeconfig and context as {@code kapas cluster}
   * resolves them).
   */
  public static Result read(Connection connection, Duration timeout) throws ClusterError {
    String server = connection.server().endsWith("/")
        ? connection.server().substring(0, connection.server().length() - 1) : connection.server();
    URI base;
    try {
      base = URI.create(server);
    } catch (IllegalArgumentException e) {
      throw new ClusterError("context " + connection.context() + ": the server URL cannot be read");
    }
    if (base.getHost() == null) {
      throw new ClusterError("context " + connection.context() + ": the server URL names no host");
    }
    Map<String, String> hosts = new LinkedHashMap<>();
    String serverHost = base.getHost().startsWith("[") ? base.getHost().substring(1, base.getHost().length() - 1)
        : base.getHost();
    hosts.put(serverHost, "the kubeconfig's API server");
    HttpClient http = connection.http();
    Map<?, ?> endpoints = get(http, server, "/api/v1/namespaces/default/endpoints/kubernetes", timeout);
    for (Object subset : list(endpoints.get("subsets"))) {
      for (Object address : list(map(subset).get("addresses"))) {
        hosts.putIfAbsent(text(map(address).get("ip")), "endpoints default/kubernetes");
      }
    }
    Map<?, ?> nodes = get(http, server, "/api/v1/nodes", timeout);
    for (Object node : list(nodes.get("items"))) {
      String name = text(map(map(node).get("metadata")).get("name"));
      for (Object address : list(map(map(node).get("status")).get("addresses"))) {
        String type = text(map(address).get("type"));
        if (type.equals("InternalIP") || type.equals("ExternalIP")) {
          hosts.putIfAbsent(text(map(address).get("address")), "node " + name + " " + type);
        }
      }
    }
    hosts.remove("");
    TreeSet<Integer> nodePorts = new TreeSet<>();
    Map<?, ?> services = get(http, server, "/api/v1/services", timeout);
    for (Object service : list(services.get("items"))) {
      for (Object port : list(map(map(service).get("spec")).get("ports"))) {
        if (map(port).get("nodePort") instanceof Number n && Ports.isNodePort(n.intValue())) {
          nodePorts.add(n.intValue());
        }
      }
    }
    return new Result(hosts, new ArrayList<>(nodePorts), server);
  }

  private static Map<?, ?> get(HttpClient http, String server, String path, Duration timeout) throws ClusterError {
    HttpRequest request = http.newHttpRequestBuilder().uri(server + path).header("Accept", "application/json")
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
    HttpResponse<String> answer;
    try {
      answer = http.sendAsync(request, String.class).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ClusterError("GET " + server + path + ": no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterError("GET " + server + path + ": interrupted");
    } catch (ExecutionException e) {
      throw new ClusterError("GET " + server + path + ": " + Wire.printable(Failures.describe(e)));
    }
    if (answer.code() == 404 && path.endsWith("/endpoints/kubernetes")) {
      return Map.of();
    }
    if (answer.code() != 200) {
      throw new ClusterError("GET " + server + path + " -> " + answer.code() + " (the kubeconfig's user must be "
          + "allowed to list nodes and services and get endpoints)");
    }
    try {
      return map(new Load(LoadSettings.builder().build()).loadFromString(answer.body()));
    } catch (YamlEngineException e) {
      throw new ClusterError("GET " + server + path + ": the answer is not JSON");
    }
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o);
  }
}

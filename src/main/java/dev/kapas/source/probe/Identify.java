package dev.kapas.source.probe;

import java.util.List;
import java.util.Optional;

/**
 * Tells which component answered from what it said. Decisive answers: an SSH banner, an etcd
 * {@code /version} ({@code etcdserver}), a {@code NamespaceList} (only the API server lists
 * namespaces), a {@code PodList} on {@code /pods} (the kubelet). Kubernetes-style answers
 * (a {@code gitVersion}, a {@code Status} object) mean a Kubernetes component, which one the port
 * decides (the scheduler and controller-manager serve the same library's answers). Without any of
 * that, the port number is all there is, and {@link Result#by()} says so.
 */
final class Identify {
  private Identify() {}

  record Result(Component component, String by) {}

  static boolean saysEtcd(List<HttpAnswer> answers) {
    return find(answers, "/version").filter(a -> a.ok() && a.body().contains("\"etcdserver\"")).isPresent();
  }

  static Result of(int port, String banner, List<HttpAnswer> answers, boolean clientCertRequired) {
    if (banner.startsWith("SSH-")) {
      return new Result(Component.SSH, "banner `" + banner + "`");
    }
    if (saysEtcd(answers)) {
      return new Result(Component.ETCD, "GET /version naming etcdserver");
    }
    Optional<HttpAnswer> namespaces = find(answers, "/api/v1/namespaces");
    if (namespaces.filter(a -> a.ok() && a.bodyHasKind("NamespaceList")).isPresent()) {
      return new Result(Component.API_SERVER, "GET /api/v1/namespaces returning a NamespaceList");
    }
    Optional<HttpAnswer> pods = find(answers, "/pods");
    if (pods.filter(a -> a.ok() && a.bodyHasKind("PodList")).isPresent()) {
      return new Result(Component.KUBELET, "GET /pods returning a PodList");
    }
    Component usual = Ports.usual(port);
    boolean kubernetesStyle = find(answers, "/version").filter(a -> a.ok() && a.body().contains("\"gitVersion\"")).isPresent()
        || namespaces.filter(a -> a.bodyHasKind("Status")).isPresent();
    boolean http = answers.stream().anyMatch(a -> a.status() > 0);
    switch (usual) {
      case KUBELET, SCHEDULER, CONTROLLER_MANAGER -> {
        if (http || clientCertRequired) {
          return new Result(usual, "port " + port + (kubernetesStyle ? " and Kubernetes-style answers" : ""));
        }
      }
      case ETCD -> {
        return new Result(Component.ETCD, "port " + port);
      }
      default -> {
        // the API server's ports are shared with every web server: only its answers count
      }
    }
    if (kubernetesStyle) {
      return new Result(Component.API_SERVER, namespaces.filter(a -> a.bodyHasKind("Status")).isPresent()
          ? "GET /api/v1/namespaces returning a Kubernetes Status" : "GET /version naming a gitVersion");
    }
    if (usual == Component.NODEPORT) {
      return new Result(Component.NODEPORT, "port " + port + " (NodePort range)");
    }
    return http ? new Result(Component.HTTP, "an HTTP answer") : new Result(Component.UNKNOWN, "nothing decisive");
  }

  private static Optional<HttpAnswer> find(List<HttpAnswer> answers, String path) {
    return answers.stream().filter(a -> a.path().equals(path)).findFirst();
  }
}

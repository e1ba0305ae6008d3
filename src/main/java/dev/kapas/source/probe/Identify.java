package dev.kapas.source.probe;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which component answered from what it said. Decisive answers: an SSH banner, an etcd
 * {@code /version} ({@code etcdserver}), a {@code NamespaceList} (only the API server lists
 * namespaces), a {@code PodList} on {@code /pods} (the kubelet). Kubernetes-style answers
 * (a {@code gitVersion}, a {@code Status} object) mean a Kubernetes component, which one the port
 * decides (the scheduler and controller-manager serve the same library's answers) unless their
 * {@code /metrics} or certificate names them. Without any of that, the port number is all there
 * is, and {@link Result#by()} says so.
 */
final class Identify {
  private Identify() {}

  record Result(Component component, String by) {}

  static boolean saysEtcd(List<HttpAnswer> answers) {
    return find(answers, "/version").filter(a -> a.ok() && a.body().contains("\"etcdserver\"")).isPresent();
  }

  static Result of(int port, String banner, List<HttpAnswer> answers, boolean clientCertRequired, List<CertInfo> certs) {
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
    if (namespaces.filter(a -> a.bodyHasKind("Status") && a.body().contains("cannot list resource")).isPresent()) {
      // only the API server knows namespaces as a resource; other components' authorizers see paths
      return new Result(Component.API_SERVER, "GET /api/v1/namespaces forbidden as a resource");
    }
    Optional<HttpAnswer> pods = find(answers, "/pods");
    if (pods.filter(a -> a.ok() && a.bodyHasKind("PodList")).isPresent()) {
      return new Result(Component.KUBELET, "GET /pods returning a PodList");
    }
    Optional<Result> told = byMetrics(answers).or(() -> byCertificate(certs));
    if (told.isPresent()) {
      return told.get();
    }
    Component usual = Ports.usual(port);
    Optional<String> delegated = delegatedComponent(namespaces, certs);
    if (delegated.isPresent()) {
      // kube-scheduler and kube-controller-manager answer alike to anonymous requests
      return usual == Component.SCHEDULER || usual == Component.CONTROLLER_MANAGER
          ? new Result(usual, "port " + port + " and " + delegated.get())
          : new Result(Component.HTTP, delegated.get() + ", a kube-scheduler or kube-controller-manager on port " + port);
    }
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

  /**
   * The metric families only one component exports (its {@code /metrics} readable without
   * credentials): {@code scheduler_*} (not {@code scheduler_volume_*}, which the volume binder
   * library registers) for the scheduler; the controllers' subsystems for the controller-manager.
   */
  private static Optional<Result> byMetrics(List<HttpAnswer> answers) {
    Optional<HttpAnswer> metrics = find(answers, Wire.METRICS).filter(HttpAnswer::ok);
    if (metrics.isEmpty()) {
      return Optional.empty();
    }
    Matcher scheduler = SCHEDULER_METRIC.matcher(metrics.get().body());
    if (scheduler.find()) {
      return Optional.of(new Result(Component.SCHEDULER, "GET /metrics exporting " + scheduler.group(1)));
    }
    Matcher controllers = CONTROLLER_MANAGER_METRIC.matcher(metrics.get().body());
    if (controllers.find()) {
      return Optional.of(new Result(Component.CONTROLLER_MANAGER, "GET /metrics exporting " + controllers.group(1)));
    }
    return Optional.empty();
  }

  private static final Pattern SCHEDULER_METRIC = Pattern.compile("(?m)^# TYPE (scheduler_(?!volume_)\\w+)");
  /** Every controller's {@code <name>_controller_rate_limiter_use}, and the subsystems of a few. */
  private static final Pattern CONTROLLER_MANAGER_METRIC = Pattern.compile(
      "(?m)^# TYPE (\\w+_controller_rate_limiter_use|(?:node_collector|node_ipam_controller|pv_collector"
          + "|endpoint_slice_controller|endpoint_slice_mirroring_controller|attachdetach_controller)_\\w+)");

  /** A serving certificate named for the component, as clusters that issue their own name them. */
  private static Optional<Result> byCertificate(List<CertInfo> certs) {
    for (CertInfo c : certs) {
      String names = c.subject() + " " + String.join(" ", c.names());
      for (Component comp : List.of(Component.SCHEDULER, Component.CONTROLLER_MANAGER, Component.API_SERVER)) {
        if (names.contains(comp.label())) {
          return Optional.of(new Result(comp, "TLS certificate " + c.subject()));
        }
      }
    }
    return Optional.empty();
  }

  /** {@code CN=localhost@1700000000}: the certificate a component makes itself when given none. */
  private static final Pattern SELF_MADE = Pattern.compile("CN=localhost@\\d+");

  /**
   * The answers of a component that authorizes through the API server but is not it (the
   * scheduler and the controller-manager): {@code /api/v1/namespaces} forbidden as a path, or the
   * {@code localhost@<time>} certificate both make for themselves, issued by {@code localhost-ca@<time>}.
   */
  private static Optional<String> delegatedComponent(Optional<HttpAnswer> namespaces, List<CertInfo> certs) {
    if (namespaces.filter(a -> a.bodyHasKind("Status") && a.body().contains("cannot get path")).isPresent()) {
      return Optional.of("GET /api/v1/namespaces forbidden as a path, not a resource");
    }
    return certs.stream()
        .filter(c -> SELF_MADE.matcher(c.subject()).matches() && c.issuer().startsWith("CN=localhost-ca@"))
        .findFirst().map(c -> "its self-made TLS certificate " + c.subject());
  }

  private static Optional<HttpAnswer> find(List<HttpAnswer> answers, String path) {
    return answers.stream().filter(a -> a.path().equals(path)).findFirst();
  }
}

package dev.kapas.source.node;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control-plane and node components whose flags kapas reads, with the upstream defaults of
 * the flags whose default decides a check (kube-apiserver's {@code --anonymous-auth} is true unless
 * set, its {@code --authorization-mode} AlwaysAllow, {@code --profiling} true everywhere).
 */
public enum Component {
  APISERVER("kube-apiserver", Map.of(
      "anonymous-auth", "true",
      "authorization-mode", "AlwaysAllow",
      "profiling", "true",
      "service-account-lookup", "true",
      "enable-admission-plugins", "",
      "tls-min-version", "VersionTLS12"),
      Set.of("anonymous-auth", "profiling", "service-account-lookup", "allow-privileged")),
  CONTROLLER_MANAGER("kube-controller-manager", Map.of(
      "profiling", "true",
      "use-service-account-credentials", "false",
      "bind-address", "0.0.0.0"),
      Set.of("profiling", "use-service-account-credentials")),
  SCHEDULER("kube-scheduler", Map.of(
      "profiling", "true",
      "bind-address", "0.0.0.0"),
      Set.of("profiling")),
  ETCD("etcd", Map.of(
      "client-cert-auth", "false",
      "auto-tls", "false",
      "peer-client-cert-auth", "false",
      "peer-auto-tls", "false"),
      Set.of("client-cert-auth", "auto-tls", "peer-client-cert-auth", "peer-auto-tls")),
  KUBELET("kubelet", Map.of(
      "anonymous-auth", "true",
      "authorization-mode", "AlwaysAllow",
      "read-only-port", "10255",
      "protect-kernel-defaults", "false",
      "make-iptables-util-chains", "true",
      "streaming-connection-idle-timeout", "4h0m0s",
      "rotate-certificates", "false"),
      Set.of("anonymous-auth", "protect-kernel-defaults", "make-iptables-util-chains", "rotate-certificates",
          "rotate-server-certificates"));

  private final String binary;
  private final Map<String, String> defaults;
  private final Set<String> booleans;

  Component(String binary, Map<String, String> defaults, Set<String> booleans) {
    this.binary = binary;
    this.defaults = defaults;
    this.booleans = booleans;
  }

  /** The executable's name, which is also the {@code component} label kubeadm gives its static pods. */
  public String binary() {
    return binary;
  }

  /** The upstream default of {@code flag} (without dashes) when kapas knows it matters. */
  public Optional<String> defaultOf(String flag) {
    return Optional.ofNullable(defaults.get(flag));
  }

  /**
   * Whether {@code flag} is a boolean flag: on a command line {@code --flag value} then does not
   * take the next word as its value, as with Go's flag parsers.
   */
  public boolean isBoolean(String flag) {
    return booleans.contains(flag);
  }

  /** The component an executable path or a {@code component} label names. */
  public static Optional<Component> ofBinary(String pathOrName) {
    String name = pathOrName.substring(pathOrName.lastIndexOf('/') + 1);
    return Arrays.stream(values()).filter(c -> c.binary.equals(name)).findFirst();
  }
}

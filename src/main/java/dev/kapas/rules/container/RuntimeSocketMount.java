package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The container runtime's socket is root on the node. */
public final class RuntimeSocketMount implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.runtime-socket-mount")
      .title("Container runtime socket mounted")
      .severity(Severity.CRITICAL)
      .why("Whoever can talk to the Docker, containerd or CRI-O socket can start a privileged "
          + "container with the host's root filesystem: it is root on the node, and a read-only "
          + "mount of the socket or its directory does not help (connecting to a socket is not a "
          + "write). Mounting a directory that holds a socket (`/run`, `/var/run`, "
          + "`/run/containerd`, `/`) exposes it too, and so does a `subPath` that reaches it; "
          + "except a read-only mount of a directory (`/`, `/run`, `/run/containerd`) into a "
          + "container that runs as a non-root user with a non-root primary group (`runAsGroup`: "
          + "when it is not set, the group is root's, which the sockets admit) and no supplementary "
          + "groups: it cannot connect to the sockets, which admit root's user and group only "
          + "(Docker's also a `docker` group, whose ID varies by node). "
          + "container.sensitive-host-path still reports such a mount. All three container lists "
          + "are checked."
          + " One hostPath volume counts once: when a more specific rule (container.runtime-socket-mount, "
          + "then container.sensitive-host-path, then container.hostpath-volume, then "
          + "cluster.restricted-volume-types) reports the same volume, this finding is an `info` note "
          + "naming it, and the leading finding names the notes.")
      .fix("Do not mount the runtime socket. Build images with a daemonless builder (kaniko, "
          + "buildah) and read container metadata from the Kubernetes API instead.")
      .refs("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  // Normalised (see HostPathMounts.normalise): /var/run is /run.
  private static final List<String> SOCKET_DIRS = List.of(
      "/run/containerd", "/run/crio", "/run/docker", "/run/podman", "/run/k3s/containerd", "/run/k0s");
  private static final List<String> SOCKETS = List.of(
      "/run/docker.sock", "/run/dockershim.sock", "/run/cri-dockerd.sock",
      "/run/containerd/containerd.sock", "/run/crio/crio.sock", "/run/podman/podman.sock",
      "/run/k3s/containerd/containerd.sock", "/run/k0s/containerd.sock");
  // elsewhere (microk8s, custom setups) the socket is still known by its name
  private static final Set<String> SOCKET_NAMES = Set.of(
      "docker.sock", "dockershim.sock", "cri-dockerd.sock", "containerd.sock", "crio.sock", "podman.sock");

  /**
   * A container that runs as a non-root user, in a primary group that is not root's (set
   * explicitly: without {@code runAsGroup} it is root's), with no supplementary groups: the
   * runtime sockets admit root's user and group only, so it cannot connect.
   */
  private static boolean cannotConnect(ContainerView container) {
    Optional<Field> user = container.effective("runAsUser");
    boolean nonRoot = user.isPresent()
        ? user.get().node().asLong().map(uid -> uid > 0).orElse(false)
        : container.effective("runAsNonRoot").map(f -> f.node().isTrue()).orElse(false);
    boolean nonRootGroup = container.effective("runAsGroup").flatMap(f -> f.node().asLong()).map(gid -> gid > 0)
        .orElse(false);
    return nonRoot && nonRootGroup && container.pod().securityContext().get("supplementalGroups").node().size() == 0;
  }

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    for (HostPathMounts.Mount mount : HostPathMounts.of(container)) {
      String path = mount.hostPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      boolean socket = SOCKET_NAMES.contains(name) || SOCKETS.contains(path);
      boolean directory = SOCKET_DIRS.stream().anyMatch(dir -> HostPathMounts.isAtOrBelow(path, dir))
          || SOCKETS.stream().anyMatch(s -> HostPathMounts.isAtOrBelow(s, path));
      if (socket || (directory && !(mount.readOnly() && cannotConnect(container)))) {
        ctx.fail(mount.pathField(), container.label() + " mounts " + mount.describe()
            + ", which exposes the container runtime socket");
      }
    }
  }
}

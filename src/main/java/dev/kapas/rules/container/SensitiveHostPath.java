package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Optional;

/** Host directories that hold the node's credentials, configuration or kernel interfaces. */
public final class SensitiveHostPath implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.sensitive-host-path")
      .title("Sensitive host path mounted")
      .severity(Severity.HIGH)
      .why("`/`, `/etc`, `/proc`, `/sys`, `/root`, `/var/run` (`/run`), `/var/lib/kubelet`, "
          + "`/var/lib/etcd`, `/home` and `/dev` hold the node's credentials (kubelet and etcd "
          + "keys, service account tokens of every pod, SSH keys), its configuration and its "
          + "kernel interfaces: a container that mounts them, or anything below or above them "
          + "(`/var` holds `/var/lib/kubelet`), can read secrets or take over the node. Read-only "
          + "mounts still leak the secrets. The path checked is the volume's `hostPath.path` "
          + "joined with the mount's `subPath`. All three container lists are checked."
          + " One hostPath volume counts once: when a more specific rule (container.runtime-socket-mount, "
          + "then container.sensitive-host-path, then container.hostpath-volume, then "
          + "cluster.restricted-volume-types) reports the same volume, this finding is an `info` note "
          + "naming it, and the leading finding names the notes.")
      .fix("Remove the hostPath mount; use a ConfigMap, Secret, projected or emptyDir volume, or "
          + "the downward API. A node agent that truly needs the path belongs in a dedicated, "
          + "isolated namespace with an exception recorded in .kapas.yaml.")
      .refs("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath")
      .control("cis", "5.2.12")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  // Normalised (see HostPathMounts.normalise): /var/run is /run.
  private static final List<String> SENSITIVE = List.of(
      "/", "/etc", "/proc", "/sys", "/root", "/run", "/var/lib/kubelet", "/var/lib/etcd", "/home", "/dev");

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    for (HostPathMounts.Mount mount : HostPathMounts.of(container)) {
      sensitivity(mount.hostPath()).ifPresent(why -> ctx.fail(mount.pathField(),
          container.label() + " mounts " + mount.describe() + why));
    }
  }

  /** Empty when {@code path} is harmless; else what makes it sensitive ("" when it is listed). */
  private static Optional<String> sensitivity(String path) {
    if (SENSITIVE.contains(path)) {
      return Optional.of("");
    }
    return SENSITIVE.stream().filter(dir -> !dir.equals("/") && HostPathMounts.isAtOrBelow(path, dir))
        .findFirst().map(dir -> ", inside `" + dir + "`")
        .or(() -> SENSITIVE.stream().filter(dir -> HostPathMounts.isAtOrBelow(dir, path))
            .findFirst().map(dir -> ", which contains `" + dir + "`"));
  }
}

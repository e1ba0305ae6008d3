package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "HostPath Volumes". */
public final class HostPathVolume implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.hostpath-volume")
      .title("Pod mounts a hostPath volume")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("A hostPath volume exposes the node's filesystem to the container: container runtime "
          + "sockets, kubelet credentials and other pods' data are a mount away, and a writable "
          + "mount is a direct path to taking over the node."
          + " One hostPath volume counts once: when a more specific rule (container.runtime-socket-mount, "
          + "then container.sensitive-host-path, then container.hostpath-volume, then "
          + "cluster.restricted-volume-types) reports the same volume, this finding is an `info` note "
          + "naming it, and the leading finding names the notes.")
      .fix("Replace the hostPath volume with an emptyDir, a ConfigMap/Secret, or a "
          + "PersistentVolumeClaim; node agents that truly need host files belong in a "
          + "separately controlled namespace.")
      .refs(PodSecurity.BASELINE_DOC)
      .control("cis", "5.2.12")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (Field volume : PodSecurity.items(pod.spec().get("volumes"))) {
      PodSecurity.set(volume.get("hostPath")).ifPresent(hostPath -> ctx.fail(hostPath,
          "volume `" + PodSecurity.text(volume.get("name")) + "` mounts host path `"
              + PodSecurity.text(hostPath.get("path")) + "`"));
    }
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.MapNode;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;
import java.util.List;
import java.util.Set;

/**
 * PSS restricted "Volume Types". A volume that names no source is an implicit emptyDir. The
 * admission controller also accepts {@code image} volumes (kubernetes/kubernetes#130394).
 */
public final class RestrictedVolumeTypes implements PodRule {
  private static final Set<String> ALLOWED = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
      "ephemeral", "image", "persistentVolumeClaim", "projected", "secret");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.restricted-volume-types")
      .title("Volume type not allowed by the restricted profile")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.RESTRICTED, 0)
      .why("Restricted pods may only use volumes that carry pod data (configMap, secret, "
          + "emptyDir, projected, downwardAPI) or storage provisioned through PersistentVolumes; "
          + "direct network or host storage (nfs, iscsi, hostPath, gitRepo...) bypasses storage "
          + "administration and can reach the node or other tenants' data."
          + " One hostPath volume counts once: when a more specific rule (container.runtime-socket-mount, "
          + "then container.sensitive-host-path, then container.hostpath-volume, then "
          + "cluster.restricted-volume-types) reports the same volume, this finding is an `info` note "
          + "naming it, and the leading finding names the notes.")
      .fix("Use a persistentVolumeClaim (or csi/ephemeral volume) instead of the inline volume "
          + "source, or one of configMap, secret, emptyDir, projected, downwardAPI, image.")
      .control("nsa", "Pod security: pod security enforcement")
      .refs(PodSecurity.RESTRICTED_DOC)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (Field volume : PodSecurity.items(pod.spec().get("volumes"))) {
      List<String> keys = volume.node().asMap().map(MapNode::keys).orElse(List.of());
      for (String key : keys) {
        if (key.equals("name") || ALLOWED.contains(key)) {
          continue;
        }
        PodSecurity.set(volume.get(key)).ifPresent(source -> ctx.fail(source,
            "volume `" + PodSecurity.text(volume.get("name")) + "` is of type `" + key + "`"));
      }
    }
  }
}

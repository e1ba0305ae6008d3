package dev.kapas.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod spec of any pod-bearing object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, PodTemplate), normalised so rules need not know where
 * each kind keeps it.
 */
public final class PodView {
  private final KubeObject object;
  private final Field spec;
  private final Field metadata;
  private final List<ContainerView> containers;

  private PodView(KubeObject object, Field spec, Field metadata) {
    this.object = object;
    this.spec = spec;
    this.metadata = metadata;
    List<ContainerView> all = new ArrayList<>();
    for (ContainerList list : ContainerList.values()) {
      Field items = spec.get(list.field());
      for (int i = 0; i < items.node().size(); i++) {
        Field item = items.get(i);
        if (item.node().asMap().isPresent()) {
          all.add(new ContainerView(this, list, i, item));
        }
      }
    }
    this.containers = Collections.unmodifiableList(all);
  }

  /** The pod view of {@code object}, or empty when its kind carries no pod spec. */
  public static Optional<PodView> of(KubeObject object) {
    return templatePath(object.kind(), object.apiVersion()).flatMap(prefix -> {
      Field base = Field.root(object.root());
      Field template = prefix.isEmpty() ? base : base.path(prefix.split("\\."));
      Field spec = template.get("spec");
      if (spec.node().asMap().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new PodView(object, spec, template.get("metadata")));
    });
  }

  /** Where a kind keeps its pod template ("" for a Pod itself). */
  private static Optional<String> templatePath(String kind, String apiVersion) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return switch (kind) {
      case "Pod" -> group.isEmpty() ? Optional.of("") : Optional.empty();
      case "PodTemplate" -> group.isEmpty() ? Optional.of("template") : Optional.empty();
      case "ReplicationController" -> group.isEmpty() ? Optional.of("spec.template") : Optional.empty();
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" ->
          group.equals("apps") || group.equals("extensions") ? Optional.of("spec.template") : Optional.empty();
      case "Job" -> group.equals("batch") ? Optional.of("spec.template") : Optional.empty();
      case "CronJob" -> group.equals("batch") ? Optional.of("spec.jobTemplate.spec.template") : Optional.empty();
      default -> Optional.empty();
    };
  }

  public KubeObject object() {
    return object;
  }

  /** The pod spec itself, e.g. at {@code spec.template.spec}. */
  public Field spec() {
    return spec;
  }

  /** The pod's (or pod template's) metadata. */
  public Field metadata() {
    return metadata;
  }

  public Map<String, String> annotations() {
    return KubeObject.stringMap(metadata.node().get("annotations"));
  }

  public Map<String, String> labels() {
    return KubeObject.stringMap(metadata.node().get("labels"));
  }

  public Field securityContext() {
    return spec.get("securityContext");
  }

  /** Every container of all three lists, init containers first. */
  public List<ContainerView> containers() {
    return containers;
  }

  /** True when the pod declares {@code spec.os.name: windows}. */
  public boolean isWindows() {
    return spec.node().path("os", "name").textOr("").equals("windows");
  }

  /** True when the pod asks for a user namespace ({@code hostUsers: false}). */
  public boolean usesUserNamespace() {
    return spec.node().get("hostUsers").isFalse();
  }
}

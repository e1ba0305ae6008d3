package dev.kapas.model;

/**
 * What a finding is about: a Kubernetes object, or a {@link Fact} a collector observed on a node
 * or over the network. Reports, exceptions and scores only need its name and where it came from.
 */
public interface Subject {
  ObjectRef ref();

  Origin origin();

  /** Identifies the subject within a scan: its file (or host) and kind/namespace/name. */
  default String key() {
    return KubeObject.key(origin().file(), ref());
  }
}

package dev.kapas.model;

/**
 * Something a collector observed that is not a Kubernetes object: a component's flags, a file's
 * mode and owner, the answer of a port. Each collector defines its own fact records; rules pick
 * them by type ({@code FactRule}). A fact names itself like an object ({@link #ref()}: a kind such
 * as {@code KubeletConfig} or {@code Port}, and a name), so exceptions, scores and reports treat
 * facts and objects alike; its {@link #origin()} is the file it was read from, or
 * {@code host:port} for network answers (line and column 0 when there is no line).
 */
public interface Fact extends Subject {

  /**
   * The {@link KubeObject#key()} of the object this fact was read from (a control-plane mirror
   * pod's component flags), else empty. Policy applies that object's {@code kapas.dev/ignore} to
   * the fact's findings.
   */
  default String derivedFrom() {
    return "";
  }
}

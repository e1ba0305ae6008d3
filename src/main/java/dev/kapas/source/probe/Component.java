package dev.kapas.source.probe;

/** What answered on a port, as far as the answers (or, failing them, the port number) tell. */
public enum Component {
  API_SERVER("kube-apiserver"),
  ETCD("etcd"),
  KUBELET("kubelet"),
  SCHEDULER("kube-scheduler"),
  CONTROLLER_MANAGER("kube-controller-manager"),
  SSH("SSH server"),
  NODEPORT("NodePort"),
  HTTP("HTTP server"),
  UNKNOWN("unknown service");

  private final String label;

  Component(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

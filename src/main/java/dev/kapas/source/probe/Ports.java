package dev.kapas.source.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The port table: which ports a probe tries and which component usually listens there. */
public final class Ports {
  public static final int NODEPORT_FIRST = 30000;
  public static final int NODEPORT_LAST = 32767;

  /** The default table (kube-hunter's and the CIS Benchmark's control-plane and node ports). */
  public static final Map<Integer, Component> DEFAULT;

  static {
    Map<Integer, Component> m = new LinkedHashMap<>();
    m.put(22, Component.SSH);
    m.put(443, Component.API_SERVER);
    m.put(2379, Component.ETCD);
    m.put(2380, Component.ETCD);
    m.put(6443, Component.API_SERVER);
    m.put(8080, Component.API_SERVER);
    m.put(8443, Component.API_SERVER);
    m.put(10250, Component.KUBELET);
    m.put(10251, Component.SCHEDULER);
    m.put(10252, Component.CONTROLLER_MANAGER);
    m.put(10255, Component.KUBELET);
    m.put(10257, Component.CONTROLLER_MANAGER);
    m.put(10259, Component.SCHEDULER);
    DEFAULT = Map.copyOf(m);
  }

  private Ports() {}

  /** What usually listens on {@code port}: the default table, NodePorts, else unknown. */
  public static Component usual(int port) {
    if (isNodePort(port)) {
      return Component.NODEPORT;
    }
    return DEFAULT.getOrDefault(port, Component.UNKNOWN);
  }

  public static boolean isNodePort(int port) {
    return port >= NODEPORT_FIRST && port <= NODEPORT_LAST;
  }

  public static List<Integer> defaults() {
    return new ArrayList<>(new TreeSet<>(DEFAULT.keySet()));
  }

  /** {@code 22,6443,30000-30010}; a bad entry throws with a message naming it. */
  public static List<Integer> parse(String spec) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      int from = number(dash < 0 ? p : p.substring(0, dash), p);
      int to = dash < 0 ? from : number(p.substring(dash + 1), p);
      if (to < from) {
        throw new IllegalArgumentException("--ports: `" + p + "` is a range that ends before it starts");
      }
      for (int i = from; i <= to; i++) {
        out.add(i);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--ports: `" + spec + "` names no port");
    }
    return new ArrayList<>(out);
  }

  private static int number(String s, String part) {
    if (!s.trim().matches("\\d{1,5}") || Integer.parseInt(s.trim()) < 1 || Integer.parseInt(s.trim()) > 65535) {
      throw new IllegalArgumentException("--ports: `" + part + "` is not a port (1-65535) or range (FROM-TO)");
    }
    return Integer.parseInt(s.trim());
  }
}

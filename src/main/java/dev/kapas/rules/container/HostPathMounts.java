package dev.kapas.rules.container;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The hostPath volumes a container actually mounts, with the host path it ends up seeing: the
 * volume's {@code hostPath.path} joined with the mount's {@code subPath}. A hostPath volume no
 * container mounts exposes nothing to a container (container.hostpath-volume reports every one).
 */
final class HostPathMounts {
  private HostPathMounts() {}

  /**
   * One hostPath volume as mounted by one container.
   *
   * @param volume the volume's name
   * @param pathField the volume's {@code hostPath.path}, where a finding points
   * @param hostPath the normalised host path the container sees (volume path plus subPath)
   * @param subPath the mount's subPath, empty when none
   * @param mountPath where it appears inside the container
   * @param readOnly the mount sets {@code readOnly: true}
   */
  record Mount(String volume, Field pathField, String hostPath, String subPath, String mountPath, boolean readOnly) {

    /** How a message names it, with the paths as written. */
    String describe() {
      return "host path `" + pathField.node().textOr("") + "` (volume `" + volume + "`"
          + (subPath.isEmpty() ? "" : ", subPath `" + subPath + "`") + ") at `" + mountPath + "`";
    }
  }

  static List<Mount> of(ContainerView container) {
    List<Mount> out = new ArrayList<>();
    Field volumes = container.pod().spec().get("volumes");
    for (var mount : container.node().get("volumeMounts").items()) {
      String name = mount.get("name").textOr("");
      for (int i = 0; i < volumes.node().size(); i++) {
        Field volume = volumes.get(i);
        Field path = volume.path("hostPath", "path");
        if (volume.node().get("name").textOr("").equals(name) && path.node().text().isPresent()) {
          // subPathExpr is only known at run time; the volume path is what it can reach at most
          String subPath = mount.get("subPath").textOr("");
          String hostPath = normalise(path.node().textOr("") + "/" + subPath);
          out.add(new Mount(name, path, hostPath, subPath, mount.get("mountPath").textOr(""),
              mount.get("readOnly").isTrue()));
          break;
        }
      }
    }
    return out;
  }

  /**
   * An absolute path with {@code .}, {@code ..}, repeated and trailing slashes resolved, and
   * {@code /var/run} written as {@code /run}: on every current distribution it is a link there.
   */
  static String normalise(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    String joined = "/" + String.join("/", parts);
    return joined.equals("/var/run") || joined.startsWith("/var/run/") ? joined.substring(4) : joined;
  }

  /** True when {@code path} is {@code dir} or lies below it (both normalised). */
  static boolean isAtOrBelow(String path, String dir) {
    return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
  }
}

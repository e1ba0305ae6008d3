package dev.kapas.source.image.catalog;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The distribution an image is built on, from {@code etc/os-release} or {@code usr/lib/os-release}
 * (os-release(5): shell-style {@code KEY=value} lines, values optionally quoted).
 *
 * @param id {@code ID}, e.g. {@code debian}, {@code alpine}, {@code rhel}
 * @param versionId {@code VERSION_ID}, e.g. {@code 12}, {@code 3.19.1}, {@code 9.3}; empty when absent
 * @param name {@code NAME}
 * @param prettyName {@code PRETTY_NAME}
 */
public record OsRelease(String id, String versionId, String name, String prettyName) {

  public static OsRelease parse(byte[] content) {
    Map<String, String> fields = new HashMap<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      String l = line.strip();
      int eq = l.indexOf('=');
      if (l.startsWith("#") || eq <= 0) {
        continue;
      }
      fields.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
    }
    String id = fields.getOrDefault("ID", "linux").toLowerCase(Locale.ROOT);
    String name = fields.getOrDefault("NAME", id);
    return new OsRelease(id, fields.getOrDefault("VERSION_ID", ""), name, fields.getOrDefault("PRETTY_NAME", name));
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
      v = v.substring(1, v.length() - 1);
    }
    return v.replaceAll("\\\\([\"'$`\\\\])", "$1");
  }

  /**
   * The OSV ecosystem of this distribution's packages, with the release as OSV names it: {@code
   * Debian:12}, {@code Ubuntu:22.04}, {@code Alpine:v3.19}, {@code Red Hat:enterprise_linux:9},
   * {@code Rocky Linux:9}, {@code AlmaLinux:9}; otherwise NAME, with {@code :VERSION_ID} when known.
   */
  public String ecosystem() {
    String major = versionId.split("\\.")[0];
    return switch (id) {
      case "debian" -> withRelease("Debian", versionId);
      case "ubuntu" -> withRelease("Ubuntu", versionId);
      case "alpine" -> withRelease("Alpine", majorMinor().isEmpty() ? "" : "v" + majorMinor());
      case "rhel" -> withRelease("Red Hat:enterprise_linux", major);
      case "rocky" -> withRelease("Rocky Linux", major);
      case "almalinux" -> withRelease("AlmaLinux", major);
      case "wolfi" -> "Wolfi";
      case "chainguard" -> "Chainguard";
      case "photon" -> withRelease("Photon OS", versionId);
      case "mageia" -> withRelease("Mageia", versionId);
      case "opensuse-leap" -> withRelease("openSUSE:Leap", versionId).replace("Leap:", "Leap ");
      default -> withRelease(name, versionId);
    };
  }

  /** The purl namespace of this distribution's packages (Trivy names Red Hat's {@code redhat}). */
  public String purlNamespace() {
    return id.equals("rhel") ? "redhat" : id;
  }

  /** The purl {@code distro} qualifier, {@code debian-12}, {@code alpine-3.19.1}: ID-VERSION_ID as Syft writes it. */
  public String purlDistro() {
    return versionId.isEmpty() ? id : id + "-" + versionId;
  }

  private String majorMinor() {
    String[] parts = versionId.split("\\.");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : versionId;
  }

  private static String withRelease(String ecosystem, String release) {
    return release.isEmpty() ? ecosystem : ecosystem + ":" + release;
  }
}

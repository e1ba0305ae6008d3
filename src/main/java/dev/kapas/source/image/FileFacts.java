package dev.kapas.source.image;

import dev.kapas.rules.code.SecretDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the image rules need from the files themselves, gathered while the layers stream: whether
 * an SSH server binary is in the final filesystem, and credential patterns in small text files of
 * any layer. (The distribution comes from the package catalog, which reads os-release.)
 *
 * <p>Secrets are searched in files of at most {@link SecretDetector#MAX_TEXT} bytes outside the
 * places where distributions and package managers keep their own files (documentation, libraries,
 * package databases, CA bundles, site-packages, node_modules): those hold test keys and examples
 * by the thousand and are what the vulnerability scan covers.
 */
final class FileFacts implements ImageFiles {
  static final Set<String> SSH_SERVERS = Set.of("usr/sbin/sshd", "sbin/sshd", "usr/bin/sshd", "usr/sbin/dropbear",
      "usr/bin/dropbear");
  private static final List<String> SYSTEM_PREFIXES = List.of("usr/share/", "usr/lib/", "usr/lib64/", "usr/libexec/",
      "usr/include/", "usr/src/", "lib/", "lib64/", "var/lib/", "var/cache/", "var/log/", "etc/ssl/", "etc/pki/",
      "etc/ca-certificates/", "proc/", "sys/");
  private static final List<String> PACKAGE_DIRS = List.of("/node_modules/", "/site-packages/", "/dist-packages/",
      "/__pycache__/", "/vendor/", "/.git/", "/go/pkg/mod/");

  /** SSH server binaries present; whiteouts remove entries. */
  private final TreeSet<String> present = new TreeSet<>();
  private final List<FileSecret> secrets = new ArrayList<>();

  @Override
  public boolean wants(String path, long size) {
    if (SSH_SERVERS.contains(path)) {
      present.add(path);
      return false;
    }
    return size >= 8 && size <= SecretDetector.MAX_TEXT && searchable(path);
  }

  private static boolean searchable(String path) {
    String slashed = "/" + path;
    return SYSTEM_PREFIXES.stream().noneMatch(path::startsWith) && PACKAGE_DIRS.stream().noneMatch(slashed::contains);
  }

  @Override
  public void file(String path, String layerDigest, InputStream content, long size) throws IOException {
    byte[] bytes = content.readNBytes((int) Math.min(size, SecretDetector.MAX_TEXT));
    for (int i = 0; i < Math.min(bytes.length, 1024); i++) {
      if (bytes[i] == 0) {
        return;
      }
    }
    for (SecretDetector.Match m : SecretDetector.inText(new String(bytes, StandardCharsets.UTF_8))) {
      secrets.add(new FileSecret(path, layerDigest, m));
    }
  }

  @Override
  public void delete(String path) {
    present.remove(path);
    clear(path);
  }

  @Override
  public void clear(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    if (prefix.isEmpty()) {
      present.clear();
    } else {
      present.subSet(prefix, prefix.substring(0, prefix.length() - 1) + "0").clear();
    }
  }

  List<String> sshServers() {
    return List.copyOf(present);
  }

  List<FileSecret> secrets() {
    return List.copyOf(secrets);
  }
}

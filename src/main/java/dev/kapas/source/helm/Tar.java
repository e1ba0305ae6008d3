package dev.kapas.source.helm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a packaged chart (gzipped tar) with the JDK alone. Only regular files and directories
 * are written; entries that would land outside the target (absolute, {@code ..}) are refused.
 */
final class Tar {
  private static final int BLOCK = 512;
  private static final long MAX_TOTAL = 256L << 20;

  private Tar() {}

  /** Extracts {@code archive} into {@code into}; returns the chart's directory (the one with Chart.yaml). */
  static Path extract(Path archive, Path into) throws IOException {
    long total = 0;
    String longName = null;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
      byte[] header = new byte[BLOCK];
      while (in.readNBytes(header, 0, BLOCK) == BLOCK) {
        if (isZero(header)) {
          break;
        }
        String name = text(header, 0, 100);
        String prefix = text(header, 257, 6).startsWith("ustar") ? text(header, 345, 155) : "";
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        if (longName != null) {
          name = longName;
          longName = null;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        total += size;
        if (total > MAX_TOTAL) {
          throw new IOException("packaged chart unpacks to more than 256 MiB");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
          throw new IOException("truncated archive");
        }
        in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
        if (type == 'L') {
          longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if (type == 'x') {
          longName = paxPath(data);
          continue;
        }
        Path target = into.resolve(name).normalize();
        if (!target.startsWith(into) || name.startsWith("/")) {
          throw new IOException("archive entry `" + name + "` points outside the archive");
        }
        if (type == '5') {
          Files.createDirectories(target);
        } else if (type == '0' || type == '\0') {
          Files.createDirectories(target.getParent());
          Files.write(target, data);
        }
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new IOException("not a packaged chart (gzipped tar): " + e.getMessage(), e);
    }
    try (var dirs = Files.list(into)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("Chart.yaml"))).findFirst()
          .orElseThrow(() -> new IOException("no Chart.yaml at the top of the archive"));
    }
  }

  private static String paxPath(byte[] data) {
    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 6);
      }
    }
    return null;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int offset, int length) throws IOException {
    String s = text(b, offset, length).strip();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive (bad size field)");
    }
  }
}

package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;

/** Reads whole files only up to a bound, so a huge or hostile file costs an error, not the heap. */
final class Limits {
  /** Package databases: Debian's dpkg status with 5,000 packages is about 10 MiB. */
  static final long DATABASE_BYTES = 256L << 20;
  /** Manifests inside packages (package.json, METADATA, pom.properties). */
  static final long MANIFEST_BYTES = 8L << 20;

  private Limits() {}

  static byte[] readAll(InputStream in, long max) throws IOException {
    byte[] data = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
    if (data.length > max) {
      throw new IOException("larger than " + (max >> 20) + " MiB; not read");
    }
    return data;
  }
}

package dev.kapas.source.image.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One package's header as rpm stores it in its database (rpm's "header blob", the on-disk header
 * without the lead magic): a big-endian count of index entries {@code il}, the data length {@code
 * dl}, {@code il} entries of (tag, type, offset, count), then {@code dl} bytes of data.
 */
final class RpmHeader {
  private static final int NAME = 1000;
  private static final int VERSION = 1001;
  private static final int RELEASE = 1002;
  private static final int EPOCH = 1003;
  private static final int ARCH = 1022;
  private static final int SOURCERPM = 1044;
  private static final int TYPE_INT32 = 4;
  private static final int TYPE_STRING = 6;
  private static final int TYPE_STRING_ARRAY = 8;
  private static final int TYPE_I18NSTRING = 9;
  // rpm's own sanity bounds (header_internal.h: HEADER_TAGS_MAX, HEADER_DATA_MAX)
  private static final int MAX_TAGS = 0x10000;
  private static final int MAX_DATA = 256 << 20;

  private final ByteBuffer blob;
  private final int il;
  private final int dataStart;
  private final int dl;

  private RpmHeader(ByteBuffer blob, int il, int dl) {
    this.blob = blob;
    this.il = il;
    this.dl = dl;
    this.dataStart = 8 + 16 * il;
  }

  /** Parses a header blob; a malformed one is an {@link IllegalArgumentException} saying what is wrong. */
  static RpmHeader parse(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian, as rpm writes headers
    if (bytes.length < 8) {
      throw new IllegalArgumentException("header blob of " + bytes.length + " bytes is too short");
    }
    int il = b.getInt(0);
    int dl = b.getInt(4);
    if (il <= 0 || il > MAX_TAGS || dl < 0 || dl > MAX_DATA || 8L + 16L * il + dl > bytes.length) {
      throw new IllegalArgumentException("header blob declares " + il + " tags and " + dl
          + " data bytes but has " + bytes.length + " bytes");
    }
    return new RpmHeader(b, il, dl);
  }

  /** The package this header describes, as a distribution package without namespace and distro (os-release fills them). */
  Found toPackage() {
    String name = string(NAME).orElseThrow(() -> new IllegalArgumentException("header without NAME"));
    String version = string(VERSION).orElse("");
    String release = string(RELEASE).orElse("");
    String epoch = int32(EPOCH).map(String::valueOf).orElse("");
    String vr = release.isEmpty() ? version : version + "-" + release;
    String evr = epoch.isEmpty() ? vr : epoch + ":" + vr;
    String sourceName = name;
    String sourceVersion = evr;
    Optional<String[]> source = string(SOURCERPM).flatMap(RpmHeader::splitSourceRpm);
    if (source.isPresent()) {
      sourceName = source.get()[0];
      String sourceVr = source.get()[1] + "-" + source.get()[2];
      // a .src.rpm file name has no epoch: the binary's epoch is the source's too
      sourceVersion = epoch.isEmpty() ? sourceVr : epoch + ":" + sourceVr;
    }
    return new Found("rpm", "", name, vr, Map.of("arch", string(ARCH).orElse(""), "epoch", epoch),
        name, evr, sourceName, sourceVersion, 0);
  }

  /** {@code name-version-release.src.rpm} → name, version, release (name may contain '-', version and release may not). */
  static Optional<String[]> splitSourceRpm(String file) {
    String base = file.endsWith(".src.rpm") ? file.substring(0, file.length() - 8)
        : file.endsWith(".nosrc.rpm") ? file.substring(0, file.length() - 10) : "";
    int r = base.lastIndexOf('-');
    int v = r > 0 ? base.lastIndexOf('-', r - 1) : -1;
    if (v <= 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {base.substring(0, v), base.substring(v + 1, r), base.substring(r + 1)});
  }

  private Optional<String> string(int tag) {
    int entry = find(tag);
    if (entry < 0) {
      return Optional.empty();
    }
    int type = blob.getInt(entry + 4);
    if (type != TYPE_STRING && type != TYPE_STRING_ARRAY && type != TYPE_I18NSTRING) {
      throw new IllegalArgumentException("tag " + tag + " has type " + type + ", not a string");
    }
    int start = dataStart + offset(entry);
    int end = start;
    int limit = dataStart + dl;
    while (end < limit && blob.get(end) != 0) {
      end++;
    }
    if (end >= limit) {
      throw new IllegalArgumentException("string of tag " + tag + " runs past the header's data");
    }
    return Optional.of(new String(blob.array(), start, end - start, StandardCharsets.UTF_8));
  }

  private Optional<Integer> int32(int tag) {
    int entry = find(tag);
    if (entry < 0) {
      return Optional.empty();
    }
    if (blob.getInt(entry + 4) != TYPE_INT32) {
      throw new IllegalArgumentException("tag " + tag + " is not an INT32");
    }
    int off = offset(entry);
    if (off + 4 > dl) {
      throw new IllegalArgumentException("INT32 of tag " + tag + " runs past the header's data");
    }
    return Optional.of(blob.getInt(dataStart + off));
  }

  private int offset(int entry) {
    int off = blob.getInt(entry + 8);
    if (off < 0 || off >= dl) {
      throw new IllegalArgumentException("tag " + blob.getInt(entry) + " points outside the header's data");
    }
    return off;
  }

  /** Byte position of the index entry of {@code tag}, or -1. */
  private int find(int tag) {
    for (int i = 0; i < il; i++) {
      int pos = 8 + 16 * i;
      if (blob.getInt(pos) == tag) {
        return pos;
      }
    }
    return -1;
  }
}

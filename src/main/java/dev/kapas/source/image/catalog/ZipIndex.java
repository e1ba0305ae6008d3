package dev.kapas.source.image.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A zip archive held in memory, read by its central directory (APPNOTE.TXT 4.3.12-4.3.16): the
 * entries' names are listed without touching their data, and only the entries asked for are
 * inflated. This is all {@link JavaArchiveCataloger} needs of a jar (a few small entries out of
 * thousands of classes); a general zip library parses every entry's extra fields and times, and
 * costs more than the inflating it saves.
 *
 * <p>Zip64 sizes and offsets are followed; bytes before the archive (a launch script in front of
 * a Spring Boot executable jar) are allowed for, as unzip does, from where the central directory
 * really is. Anything inconsistent is an {@link IOException}: the caller then streams the archive
 * entry by entry instead.
 */
final class ZipIndex {
  private static final int EOCD = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int LOCAL = 0x04034b50;
  private static final int EOCD_SIZE = 22;
  private static final int MAX_COMMENT = 0xffff;

  /** One entry: its name, compression method, sizes, and where its local header is. */
  record Entry(String name, int method, long compressedSize, long size, long localHeader) {
    boolean isDirectory() {
      return name.endsWith("/");
    }
  }

  private final byte[] zip;
  private final long shift;
  private final List<Entry> entries;

  private ZipIndex(byte[] zip, long shift, List<Entry> entries) {
    this.zip = zip;
    this.shift = shift;
    this.entries = entries;
  }

  List<Entry> entries() {
    return entries;
  }

  /** The central directory of {@code zip}, or an IOException when it has none that holds together. */
  static ZipIndex of(byte[] zip) throws IOException {
    int eocd = findEocd(zip);
    long count = u16(zip, eocd + 10);
    long cdSize = u32(zip, eocd + 12);
    long cdOffset = u32(zip, eocd + 16);
    long cdEnd = eocd;
    if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
      int locator = eocd - 20;
      if (locator < 0 || i32(zip, locator) != ZIP64_LOCATOR) {
        throw new IOException("zip64 end of central directory locator missing");
      }
      // the zip64 record sits right before its locator (56 bytes without its extensible data)
      int record = locator - 56;
      if (record < 0 || i32(zip, record) != ZIP64_EOCD) {
        throw new IOException("zip64 end of central directory record missing");
      }
      count = u64(zip, record + 32);
      cdSize = u64(zip, record + 40);
      cdOffset = u64(zip, record + 48);
      cdEnd = record;
    }
    // bytes in front of the archive move everything by the same amount
    long shift = cdEnd - cdSize - cdOffset;
    if (shift < 0 || cdOffset + shift < 0 || count > cdSize / 46) {
      throw new IOException("central directory out of place");
    }
    List<Entry> entries = new ArrayList<>((int) count);
    int at = (int) (cdOffset + shift);
    for (long i = 0; i < count; i++) {
      check(zip, at, 46);
      if (i32(zip, at) != CENTRAL) {
        throw new IOException("central directory entry " + i + " is malformed");
      }
      int method = u16(zip, at + 10);
      long compressed = u32(zip, at + 20);
      long size = u32(zip, at + 24);
      int nameLength = u16(zip, at + 28);
      int extraLength = u16(zip, at + 30);
      int commentLength = u16(zip, at + 32);
      long local = u32(zip, at + 42);
      check(zip, at + 46, nameLength + extraLength + commentLength);
      String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
      if (size == 0xffffffffL || compressed == 0xffffffffL || local == 0xffffffffL) {
        long[] wide = zip64(zip, at + 46 + nameLength, extraLength, size, compressed, local);
        size = wide[0];
        compressed = wide[1];
        local = wide[2];
      }
      entries.add(new Entry(name, method, compressed, size, local));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipIndex(zip, shift, List.copyOf(entries));
  }

  /** The entry's data, inflated if it was deflated. */
  InputStream open(Entry e) throws IOException {
    long header = e.localHeader() + shift;
    if (header < 0 || header > zip.length - 30L || i32(zip, (int) header) != LOCAL) {
      throw new IOException("entry " + e.name() + ": local header missing");
    }
    int h = (int) header;
    long data = header + 30 + u16(zip, h + 26) + u16(zip, h + 28);
    if (data + e.compressedSize() > zip.length) {
      throw new IOException("entry " + e.name() + " runs past the end of the archive");
    }
    InputStream raw = new ByteArrayInputStream(zip, (int) data, (int) e.compressedSize());
    return switch (e.method()) {
      case 0 -> raw;
      case 8 -> new InflaterInputStream(raw, new Inflater(true), 8192) {
        @Override
        public void close() throws IOException {
          super.close();
          inf.end(); // an inflater given to the stream is not ended by it
        }
      };
      default -> throw new IOException("entry " + e.name() + ": compression method " + e.method() + " is not read");
    };
  }

  private static int findEocd(byte[] zip) throws IOException {
    int lowest = Math.max(0, zip.length - EOCD_SIZE - MAX_COMMENT);
    for (int at = zip.length - EOCD_SIZE; at >= lowest; at--) {
      if (i32(zip, at) == EOCD && at + EOCD_SIZE + u16(zip, at + 20) == zip.length) {
        return at;
      }
    }
    throw new IOException("no end of central directory");
  }

  /** The zip64 extended information extra field (id 1): the 8-byte values stand in for those that are 0xffffffff, in this order. */
  private static long[] zip64(byte[] zip, int at, int length, long size, long compressed, long local) throws IOException {
    int end = at + length;
    while (at + 4 <= end) {
      int id = u16(zip, at);
      int len = u16(zip, at + 2);
      int p = at + 4;
      if (p + len > end) {
        break;
      }
      if (id == 1) {
        long[] out = {size, compressed, local};
        for (int i = 0; i < 3; i++) {
          if (out[i] == 0xffffffffL) {
            if (p + 8 > at + 4 + len) {
              throw new IOException("zip64 extra field too short");
            }
            out[i] = u64(zip, p);
            p += 8;
          }
        }
        return out;
      }
      at = p + len;
    }
    throw new IOException("zip64 extra field missing");
  }

  private static void check(byte[] zip, long at, long length) throws IOException {
    if (at < 0 || at + length > zip.length) {
      throw new IOException("central directory runs past the end of the archive");
    }
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static int i32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }

  private static long u32(byte[] b, int at) {
    return i32(b, at) & 0xffffffffL;
  }

  private static long u64(byte[] b, int at) throws IOException {
    if (at < 0 || at + 8 > b.length) {
      throw new IOException("zip64 field runs past the end of the archive");
    }
    long v = u32(b, at) | u32(b, at + 4) << 32;
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IOException("zip64 value " + Long.toUnsignedString(v) + " is larger than an archive held in memory");
    }
    return v;
  }
}

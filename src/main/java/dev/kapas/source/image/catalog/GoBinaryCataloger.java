package dev.kapas.source.image.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Go executables: the build information the Go linker embeds (what {@code go version -m} prints):
 * a 16-byte-aligned header starting {@code "\xff Go buildinf:"}, then, since Go 1.18 (flag bit 2),
 * the Go version and the module text inline as uvarint-length-prefixed strings. The module text
 * has {@code path}, {@code mod} (main module), {@code dep} and {@code =>} (its replacement) lines,
 * framed by 16 sentinel bytes each side. The binary is streamed once; only the blob is kept.
 *
 * <p>Before Go 1.18 the header holds two pointers into the binary's data instead; following them
 * needs random access to the executable, which a streamed layer does not give: such binaries are a
 * reported problem, not a guess.
 */
final class GoBinaryCataloger implements Cataloger {
  private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};
  private static final int ALIGN = 16;
  private static final int HEADER = 32;
  private static final int FLAG_INLINE = 2;
  private static final int MAX_BLOB = 1 << 20;
  // the smallest Go program links to over a megabyte; smaller executables are not worth a scan
  private static final long MIN_SIZE = 512 << 10;

  @Override
  public boolean wants(String path, long size) {
    String file = path.substring(path.lastIndexOf('/') + 1);
    boolean binDir = path.contains("bin/");
    return size >= MIN_SIZE && (binDir || file.indexOf('.') < 0) && !path.contains(".so");
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    byte[] head = content.readNBytes(ALIGN);
    if (head.length < ELF.length || !Arrays.equals(head, 0, ELF.length, ELF, 0, ELF.length)) {
      return Parsed.of(List.of()); // not an ELF executable
    }
    byte[] blob = findBuildInfo(content, head);
    if (blob.length == 0) {
      return Parsed.of(List.of()); // an executable not written in Go, or stripped of its build info
    }
    if ((blob[15] & FLAG_INLINE) == 0) {
      throw new IOException("Go build information in the pre-1.18 pointer format is not read yet (the binary was built with Go < 1.18)");
    }
    int[] pos = {HEADER};
    String goVersion = string(blob, pos);
    String modules = string(blob, pos);
    if (modules.length() >= 33 && modules.charAt(modules.length() - 17) == '\n') {
      modules = modules.substring(16, modules.length() - 16);
    }
    return Parsed.of(packages(goVersion, modules));
  }

  /** The bytes from the magic on (at most {@link #MAX_BLOB}), or none: the file is read until the magic shows at an aligned offset. */
  private static byte[] findBuildInfo(InputStream in, byte[] head) throws IOException {
    if (Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return concat(head, 0, head.length, in);
    }
    byte[] chunk = new byte[1 << 16]; // a multiple of ALIGN, read after the first ALIGN bytes: offsets stay aligned
    while (true) {
      int n = in.readNBytes(chunk, 0, chunk.length);
      for (int at = 0; at + MAGIC.length <= n; at += ALIGN) {
        if (Arrays.equals(chunk, at, at + MAGIC.length, MAGIC, 0, MAGIC.length)) {
          return concat(chunk, at, n, in);
        }
      }
      if (n < chunk.length) {
        return new byte[0];
      }
    }
  }

  private static byte[] concat(byte[] buf, int from, int to, InputStream rest) throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.write(buf, from, to - from);
    blob.write(rest.readNBytes(Math.max(0, MAX_BLOB - (to - from))));
    return blob.toByteArray();
  }

  /** A uvarint-length-prefixed string at pos[0], advancing it. */
  private static String string(byte[] blob, int[] pos) throws IOException {
    long length = 0;
    int shift = 0;
    while (true) {
      if (pos[0] >= blob.length || shift > 35) {
        throw new IOException("Go build information is truncated");
      }
      int b = blob[pos[0]++] & 0xff;
      length |= (long) (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        break;
      }
    }
    if (length > blob.length - pos[0]) {
      throw new IOException("Go build information is truncated");
    }
    String s = new String(blob, pos[0], (int) length, StandardCharsets.UTF_8);
    pos[0] += (int) length;
    return s;
  }

  private static List<Found> packages(String goVersion, String modules) {
    List<Found> out = new ArrayList<>();
    if (goVersion.startsWith("go")) {
      // OSV's Go ecosystem names the toolchain's packages "stdlib"; "v" keeps its versions like the modules'
      out.add(module("stdlib", "v" + goVersion.substring(2).split("\\s")[0]));
    }
    String[] lines = modules.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String[] f = lines[i].split("\t");
      if (f.length < 2 || !(f[0].equals("mod") || f[0].equals("dep"))) {
        continue;
      }
      String path = f[1];
      String version = f.length > 2 ? f[2] : "";
      if (i + 1 < lines.length && lines[i + 1].startsWith("=>\t")) {
        String[] r = lines[++i].split("\t");
        // a replacement by another module version is that code; a local directory keeps the required name and version
        if (r.length > 2 && !r[2].equals("(devel)") && !r[1].startsWith(".") && !r[1].startsWith("/")) {
          path = r[1];
          version = r[2];
        }
      }
      out.add(module(path, version));
    }
    return out;
  }

  private static Found module(String path, String version) {
    int slash = path.lastIndexOf('/');
    String purlVersion = version.equals("(devel)") ? "" : version;
    return new Found("golang", slash > 0 ? path.substring(0, slash) : "", path.substring(slash + 1), purlVersion, Map.of(),
        path, version, path, version, 0);
  }
}

package dev.kapas.vuln;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of an {@link Advisory} the database keeps beside each record, so that a
 * scan reads only what matching needs instead of inflating and parsing the whole OSV JSON (a real
 * record's details and references are most of it). Strings are UTF-8 with their length; lists
 * their size, then their items.
 */
final class AdvisoryCodec {
  /** The first byte of an encoded advisory: the layout, so that a change of it is recognised. */
  private static final int LAYOUT = 1;

  private AdvisoryCodec() {}

  static byte[] encode(Advisory a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(LAYOUT);
      string(out, a.id());
      strings(out, a.aliases());
      strings(out, a.upstream());
      string(out, a.summary());
      string(out, a.modified());
      out.writeBoolean(a.withdrawn());
      strings(out, a.cvss());
      string(out, a.databaseSeverity());
      out.writeInt(a.affected().size());
      for (Advisory.Affected af : a.affected()) {
        string(out, af.ecosystem());
        string(out, af.name());
        out.writeInt(af.ranges().size());
        for (Advisory.Range r : af.ranges()) {
          string(out, r.type());
          out.writeInt(r.events().size());
          for (Advisory.Event e : r.events()) {
            string(out, e.kind());
            string(out, e.version());
          }
        }
        strings(out, af.versions());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /** Decodes what {@link #encode} wrote; anything else is an {@link IOException} naming the problem. */
  static Advisory decode(byte[] encoded) throws IOException {
    Reader in = new Reader(encoded);
    int layout = encoded.length == 0 ? -1 : encoded[in.at++];
    if (layout != LAYOUT) {
      throw new IOException("unknown advisory layout " + layout);
    }
    String id = in.string();
    List<String> aliases = in.strings();
    List<String> upstream = in.strings();
    String summary = in.string();
    String modified = in.string();
    boolean withdrawn = in.bool();
    List<String> cvss = in.strings();
    String dbSeverity = in.string();
    int n = in.count();
    List<Advisory.Affected> affected = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String ecosystem = in.string();
      String name = in.string();
      int rn = in.count();
      List<Advisory.Range> ranges = new ArrayList<>(rn);
      for (int j = 0; j < rn; j++) {
        String type = in.string();
        int en = in.count();
        List<Advisory.Event> events = new ArrayList<>(en);
        for (int k = 0; k < en; k++) {
          events.add(new Advisory.Event(in.string(), in.string()));
        }
        ranges.add(new Advisory.Range(type, events));
      }
      affected.add(new Advisory.Affected(ecosystem, name, ranges, in.strings()));
    }
    return new Advisory(id, aliases, upstream, summary, modified, withdrawn, cvss, dbSeverity, affected);
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void strings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      string(out, s);
    }
  }

  /** Reads the encoding straight from the array (what {@link DataOutputStream} wrote: big-endian ints). */
  private static final class Reader {
    private final byte[] b;
    private int at;

    Reader(byte[] b) {
      this.b = b;
    }

    /** A count or a length: at most what is left, since every item takes at least one byte. */
    int count() throws IOException {
      if (b.length - at < 4) {
        throw new IOException("truncated advisory");
      }
      int n = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
      at += 4;
      if (n < 0 || n > b.length - at) {
        throw new IOException("bad length " + n + " in an encoded advisory");
      }
      return n;
    }

    boolean bool() throws IOException {
      if (at >= b.length) {
        throw new IOException("truncated advisory");
      }
      return b[at++] != 0;
    }

    String string() throws IOException {
      int n = count();
      String s = new String(b, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }

    List<String> strings() throws IOException {
      int n = count();
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(string());
      }
      return out;
    }
  }
}

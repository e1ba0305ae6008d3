package dev.kapas.source.image;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Assembles real images for tests, without Docker: layer tars (gzip, zstd or plain) of given
 * files, a config, a manifest, written as an OCI image layout directory. skopeo turns that into
 * the other formats and pushes it to a registry.
 */
final class TestImage {
  enum Compression { GZIP, ZSTD, NONE }

  /** One tar entry: a regular file, a symlink (target in {@code content}) or a directory. */
  record Entry(String name, byte[] content, char type) {
    static Entry file(String name, String text) {
      return new Entry(name, text.getBytes(StandardCharsets.UTF_8), '0');
    }

    static Entry file(String name, byte[] bytes) {
      return new Entry(name, bytes, '0');
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, target.getBytes(StandardCharsets.UTF_8), '2');
    }
  }

  private final List<byte[]> blobsTars = new ArrayList<>();
  private final List<Compression> compressions = new ArrayList<>();
  private String user = "";
  private final List<String> env = new ArrayList<>();
  private final List<String> ports = new ArrayList<>();
  private final List<String> history = new ArrayList<>();

  TestImage user(String u) {
    this.user = u;
    return this;
  }

  TestImage env(String e) {
    env.add(e);
    return this;
  }

  TestImage expose(String p) {
    ports.add(p);
    return this;
  }

  TestImage history(String createdBy) {
    history.add(createdBy);
    return this;
  }

  TestImage layer(Compression c, Entry... entries) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t = e.type() == '2' ? new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK)
            : new TarArchiveEntry(e.name(), true);
        if (e.type() == '2') {
          t.setLinkName(new String(e.content(), StandardCharsets.UTF_8));
        } else {
          t.setSize(e.content().length);
        }
        out.putArchiveEntry(t);
        if (e.type() != '2') {
          out.write(e.content());
        }
        out.closeArchiveEntry();
      }
    }
    blobsTars.add(tar.toByteArray());
    compressions.add(c);
    return this;
  }

  /** A layer of these bytes as they are, tar or not. */
  TestImage rawLayer(Compression c, byte[] bytes) {
    blobsTars.add(bytes);
    compressions.add(c);
    return this;
  }

  static byte[] compress(byte[] tar, Compression c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = switch (c) {
      case GZIP -> new GZIPOutputStream(out);
      case ZSTD -> new ZstdOutputStream(out);
      case NONE -> out;
    }) {
      z.write(tar);
    }
    return out.toByteArray();
  }

  static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(LocalStore.sha256(bytes));
  }

  /** Writes the OCI image layout to {@code dir}; returns the manifest's digest. */
  String writeLayout(Path dir) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    StringBuilder layers = new StringBuilder();
    StringBuilder diffIds = new StringBuilder();
    for (int i = 0; i < blobsTars.size(); i++) {
      byte[] blob = compress(blobsTars.get(i), compressions.get(i));
      String d = put(blobs, blob);
      String type = "application/vnd.oci.image.layer.v1.tar" + switch (compressions.get(i)) {
        case GZIP -> "+gzip";
        case ZSTD -> "+zstd";
        case NONE -> "";
      };
      layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(type).append("\",\"digest\":\"").append(d)
          .append("\",\"size\":").append(blob.length).append('}');
      diffIds.append(i == 0 ? "" : ",").append('"').append(digest(blobsTars.get(i))).append('"');
    }
    StringBuilder hist = new StringBuilder();
    for (int i = 0; i < history.size(); i++) {
      hist.append(i == 0 ? "" : ",").append("{\"created_by\":").append(quote(history.get(i))).append('}');
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":" + quote(user) + ",\"Env\":["
        + String.join(",", env.stream().map(TestImage::quote).toList()) + "],\"ExposedPorts\":{"
        + String.join(",", ports.stream().map(p -> quote(p) + ":{}").toList()) + "}},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[" + diffIds + "]},\"history\":[" + hist + "]}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String configDigest = put(blobs, configBytes);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + ImageReader.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + configBytes.length
        + "},\"layers\":[" + layers + "]}";
    byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
    String manifestDigest = put(blobs, manifestBytes);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + ImageReader.OCI_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifestBytes.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"test\"}}]}");
    return manifestDigest;
  }

  private static String put(Path blobs, byte[] bytes) throws IOException {
    String d = digest(bytes);
    Files.write(blobs.resolve(d.substring(7)), bytes);
    return d;
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

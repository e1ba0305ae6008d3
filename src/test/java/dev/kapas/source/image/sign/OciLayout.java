package dev.kapas.source.image.sign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An OCI image layout written by hand, byte for byte, for skopeo to push: small images (one
 * plain-tar layer, a config) and cosign's signature and attestation manifests, whose exact JSON
 * the tests decide.
 */
final class OciLayout {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String INDEX = "application/vnd.oci.image.index.v1+json";
  private final Path dir;
  private final List<String> entries = new ArrayList<>();

  OciLayout(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    writeIndex();
  }

  Path dir() {
    return dir;
  }

  /** Stores a blob; its descriptor JSON with {@code mediaType} (and extra fields, such as annotations). */
  String blob(String mediaType, byte[] bytes, String extra) throws IOException {
    String digest = SignatureFinder.sha256(bytes);
    Files.write(dir.resolve("blobs/sha256/" + digest.substring(7)), bytes);
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length + extra + "}";
  }

  /** Stores a manifest (or index) and tags it {@code tag} in index.json; its digest. */
  String manifest(String json, String mediaType, String tag) throws IOException {
    String d = blob(mediaType, json.getBytes(StandardCharsets.UTF_8),
        ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}");
    entries.add(d);
    writeIndex();
    return digestOf(d);
  }

  /** A one-layer image whose only file, {@code /etc/kapas-test}, holds {@code text}; its manifest digest. */
  String image(String text, String tag) throws IOException {
    return image("etc/kapas-test", text, tag);
  }

  /** A one-layer image whose only file, {@code path}, holds {@code text}; its manifest digest. */
  String image(String path, String text, String tag) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      byte[] content = text.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(path);
      e.setSize(content.length);
      out.putArchiveEntry(e);
      out.write(content);
      out.closeArchiveEntry();
    }
    String layer = blob("application/vnd.oci.image.layer.v1.tar", tar.toByteArray(), "");
    String config = blob("application/vnd.oci.image.config.v1+json", ("{\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"config\":{\"User\":\"10001\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + digestOf(layer)
        + "\"]}}").getBytes(StandardCharsets.UTF_8), "");
    return manifest("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + config + ",\"layers\":["
        + layer + "]}", MANIFEST, tag);
  }

  /** The descriptor of the manifest {@code digest} stored here, as a subject names it. */
  String descriptor(String digest) throws IOException {
    return "{\"mediaType\":\"" + MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":"
        + Files.size(dir.resolve("blobs/sha256/" + digest.substring(7))) + "}";
  }

  static String digestOf(String descriptor) {
    int at = descriptor.indexOf("\"digest\":\"") + 10;
    return descriptor.substring(at, descriptor.indexOf('"', at));
  }

  private void writeIndex() throws IOException {
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX
        + "\",\"manifests\":[" + String.join(",", entries) + "]}");
  }
}

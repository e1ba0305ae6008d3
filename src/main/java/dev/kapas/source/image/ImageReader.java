package dev.kapas.source.image;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one image from a store: the manifest (through an index, by platform), the config, and
 * every layer streamed once, bottom first, into the {@link ImageFiles} consumers; a layer is
 * fetched, hashed and unpacked on a thread of its own, a few MiB ahead of the consumers. Every blob's
 * size and sha256 are checked (and each layer's uncompressed digest against the config's
 * {@code diff_ids}); nothing is written to disk; memory is bounded by the largest file a consumer
 * asks for, never by the image.
 *
 * <p>Whiteouts are passed on where they stand in the tar. That is right for what Docker,
 * BuildKit and containerd write: an opaque marker comes with its directory, before the
 * directory's new content, and a {@code .wh.NAME} cannot share a layer with NAME.
 */
final class ImageReader {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final int MAX_MANIFEST = 4 << 20;
  /** A file several consumers want is held in memory once, up to this size; a larger one goes to the first only. */
  private static final int MAX_SHARED_FILE = 16 << 20;
  private static final String OPAQUE = ".wh..wh..opq";
  /** The unpacked tar is read this far ahead of the catalogers, on a thread of its own. */
  private static final int READ_AHEAD_CHUNK = 1 << 20;
  private static final int READ_AHEAD_CHUNKS = 8;
  private static final String WHITEOUT = ".wh.";

  /**
   * How far a layer may unpack: {@code maxUnpacked} bytes for the whole image, and no layer more
   * than {@code maxRatio} times its stored size (plus {@code ratioSlack}): real layers compress a
   * few times, a bomb a thousand times.
   */
  record Limits(long maxUnpacked, long maxRatio, long ratioSlack) {
    static final Limits DEFAULT = new Limits(64L << 30, 200, 256L << 20);
  }

  /**
   * What was read. {@code manifestDigest} is empty for the older {@code docker save} format (it
   * has no manifest); {@code configDigest} is the image ID, the same from every transport.
   * {@code problems} are entries that were skipped, each a sentence naming its layer.
   */
  record Contents(String manifestDigest, String configDigest, Platform platform, ImageConfig config,
      List<Layer> layers, List<String> problems, ReadTimings timings) {}

  private final Platform wanted;
  private final Limits limits;

  ImageReader(Platform wanted, Limits limits) {
    this.wanted = wanted;
    this.limits = limits;
  }

  /**
   * The image manifest the store's root stands for, through an index by platform: its digest
   * (empty for {@code docker save}'s format) and its JSON.
   */
  record Resolved(String digest, Map<String, Object> manifest) {}

  Resolved resolve(ImageStore store) throws ImageError, IOException {
    ImageStore.Manifest root = store.root();
    String digest = root.expectedDigest().isEmpty() ? "" : checked(root.bytes(), root.expectedDigest(), "manifest");
    Map<String, Object> manifest = Json.object(root.bytes(), "manifest");
    String type = mediaType(manifest, root.mediaType());
    for (int depth = 0; isIndex(type, manifest); depth++) {
      if (depth > 2) {
        throw new ImageError("index nests more than two levels deep");
      }
      Descriptor chosen = choose(manifest, digest);
      digest = chosen.digest();
      if (chosen.size() > MAX_MANIFEST) {
        throw new ImageError("manifest " + chosen.digest() + " is " + chosen.size() + " bytes, more than a manifest may have");
      }
      byte[] bytes = store.manifest(chosen, MAX_MANIFEST);
      checked(bytes, chosen.digest(), "manifest");
      manifest = Json.object(bytes, "manifest " + chosen.digest());
      type = mediaType(manifest, chosen.mediaType());
    }
    return new Resolved(digest, manifest);
  }

  Contents read(ImageStore store, List<ImageFiles> consumers) throws ImageError, IOException {
    Resolved resolved = resolve(store);
    String digest = resolved.digest();
    Map<String, Object> manifest = resolved.manifest();
    if (Json.num(manifest, "schemaVersion") == 1) {
      throw new ImageError("manifest " + digest + " is a Docker schema 1 manifest, which has been deprecated since 2017 "
          + "and is not read; push the image again with a current client");
    }
    String where = digest.isEmpty() ? "manifest" : "manifest " + digest;
    Descriptor configDesc = Descriptor.of(Json.obj(manifest, "config"), "config of " + where);
    if (configDesc.size() > LocalStore.MAX_JSON) {
      throw new ImageError("config " + configDesc.digest() + " is " + configDesc.size() + " bytes, more than a config may have");
    }
    byte[] configBytes;
    try (InputStream in = store.blob(configDesc)) {
      configBytes = in.readNBytes((int) configDesc.size() + 1);
    }
    if (configBytes.length != configDesc.size()) {
      throw new ImageError("config " + configDesc.digest() + " is " + configBytes.length + " bytes, the manifest says "
          + configDesc.size());
    }
    checked(configBytes, configDesc.digest(), "config");
    Map<String, Object> config = Json.object(configBytes, "config " + configDesc.digest());
    List<String> diffIds = Json.strings(Json.obj(config, "rootfs"), "diff_ids");
    List<Map<String, Object>> layerList = Json.objects(manifest, "layers");
    if (diffIds.size() != layerList.size()) {
      throw new ImageError(where + " lists " + layerList.size() + " layers, its config " + configDesc.digest() + " "
          + diffIds.size() + " diff_ids");
    }
    List<Layer> layers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    ReadTimings timings = new ReadTimings();
    long[] unpacked = {0};
    for (int i = 0; i < layerList.size(); i++) {
      Descriptor d = Descriptor.of(layerList.get(i), "layer " + (i + 1) + " of " + where);
      if (d.mediaType().contains("foreign") || d.mediaType().contains("nondistributable")) {
        problems.add("layer " + d.digest() + " is a foreign layer (" + d.mediaType() + "), not served with the image; "
            + "its files were not read");
        layers.add(new Layer(d.digest(), diffIds.get(i), d.size(), d.mediaType()));
        continue;
      }
      stream(store, d, diffIds.get(i), consumers, unpacked, problems, timings);
      layers.add(new Layer(d.digest(), diffIds.get(i), d.size(), d.mediaType()));
    }
    return new Contents(digest, configDesc.digest(), platformOf(config), config(config), layers, problems, timings);
  }

  private static String mediaType(Map<String, Object> manifest, String fallback) {
    String own = Json.str(manifest, "mediaType");
    return own.isEmpty() ? fallback : own;
  }

  private static boolean isIndex(String type, Map<String, Object> m) {
    return type.equals(OCI_INDEX) || type.equals(DOCKER_LIST) || (type.isEmpty() && m.containsKey("manifests"));
  }

  /** The index entry for the wanted platform; an index of one entry without platforms is that image. */
  private Descriptor choose(Map<String, Object> index, String indexDigest) throws ImageError {
    String where = indexDigest.isEmpty() ? "index" : "index " + indexDigest;
    List<Map<String, Object>> entries = Json.objects(index, "manifests");
    List<String> offered = new ArrayList<>();
    List<Map<String, Object>> unlabelled = new ArrayList<>();
    for (Map<String, Object> e : entries) {
      Map<String, Object> p = Json.obj(e, "platform");
      if (p.isEmpty()) {
        unlabelled.add(e);
        continue;
      }
      Platform offer = new Platform(Json.str(p, "os"), Json.str(p, "architecture"), Json.str(p, "variant"));
      if (wanted.accepts(offer)) {
        return Descriptor.of(e, where + " entry for " + offer.display());
      }
      offered.add(offer.display());
    }
    if (offered.isEmpty() && unlabelled.size() == 1) {
      return Descriptor.of(unlabelled.get(0), where + " entry");
    }
    if (entries.isEmpty()) {
      throw new ImageError(where + " lists no images");
    }
    if (offered.isEmpty()) {
      throw new ImageError(where + " lists " + unlabelled.size() + " images without a platform; kapas reads a layout "
          + "of one image");
    }
    throw new ImageError(where + " has no image for " + wanted.display() + " (it has " + String.join(", ", offered)
        + "); choose one with --platform");
  }

  private static Platform platformOf(Map<String, Object> config) {
    return new Platform(Json.str(config, "os"), Json.str(config, "architecture"), Json.str(config, "variant"));
  }

  private static ImageConfig config(Map<String, Object> config) {
    Map<String, Object> c = Json.obj(config, "config");
    Map<String, String> labels = new LinkedHashMap<>();
    Json.obj(c, "Labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
    List<String> history = new ArrayList<>();
    for (Map<String, Object> h : Json.objects(config, "history")) {
      history.add(Json.str(h, "created_by"));
    }
    return new ImageConfig(Json.str(c, "User"), Json.strings(c, "Env"), List.copyOf(Json.obj(c, "ExposedPorts").keySet()),
        history, labels);
  }

  /** {@code bytes}' digest, after checking it is {@code expected}. */
  static String checked(byte[] bytes, String expected, String what) throws ImageError {
    String actual = "sha256:" + HexFormat.of().formatHex(LocalStore.sha256(bytes));
    if (!expected.isEmpty() && !actual.equals(expected)) {
      throw new ImageError(what + " " + expected + " does not match its digest: the bytes served hash to " + actual);
    }
    return actual;
  }

  private void stream(ImageStore store, Descriptor d, String diffId, List<ImageFiles> consumers, long[] unpacked,
      List<String> problems, ReadTimings timings) throws ImageError, IOException {
    String name = "layer " + d.digest();
    Hashing stored = new Hashing(store.blob(d), Long.MAX_VALUE, name);
    long layerBound = Math.max(limits.ratioSlack(), Math.multiplyExact(Math.min(d.size(), Long.MAX_VALUE / limits.maxRatio()),
        limits.maxRatio()));
    try (stored) {
      BufferedInputStream buffered = new BufferedInputStream(stored, 1 << 16);
      Hashing tarBytes = new Hashing(decompressed(buffered), Math.min(layerBound, limits.maxUnpacked() - unpacked[0]), name);
      long consumed = 0;
      try (ReadAhead ahead = new ReadAhead(tarBytes, buffered, READ_AHEAD_CHUNK, READ_AHEAD_CHUNKS, name)) {
        TarArchiveInputStream tar = new TarArchiveInputStream(ahead);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          long start = System.nanoTime();
          long waited = ahead.waited;
          entry(tar, e, diffId, consumers, problems, name);
          consumed += System.nanoTime() - start - (ahead.waited - waited);
        }
        ahead.transferTo(OutputStream.nullOutputStream());
      }
      unpacked[0] += tarBytes.count;
      timings.pull += stored.nanos;
      timings.decompress += tarBytes.nanos - stored.nanos;
      timings.catalogue += consumed;
      if (!tarBytes.digest().equals(diffId)) {
        throw new ImageError(name + " unpacks to " + tarBytes.digest() + ", but the config's diff_id for it is " + diffId);
      }
    } catch (Hashing.Bound b) {
      throw new ImageError(name + " unpacks to more than " + b.limit + " bytes from " + d.size() + " stored; stopped "
          + "there (a decompression bomb, or an image larger than kapas reads)");
    } catch (IOException e) {
      throw new ImageError(name + " is truncated or corrupt: " + message(e));
    } catch (RuntimeException e) {
      throw new ImageError(name + " is corrupt: " + message(e));
    }
    if (stored.count != d.size()) {
      throw new ImageError(name + " is " + stored.count + " bytes, the manifest says " + d.size());
    }
    if (!stored.digest().equals(d.digest())) {
      throw new ImageError(name + " does not match its digest: the bytes served hash to " + stored.digest());
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** gzip and zstd by their magic numbers (media types are not always right), else a plain tar. */
  private static InputStream decompressed(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    return in;
  }

  private static void entry(TarArchiveInputStream tar, TarArchiveEntry e, String layer, List<ImageFiles> consumers,
      List<String> problems, String name) throws IOException {
    Optional<String> cleaned = inside(e.getName());
    if (cleaned.isEmpty()) {
      problems.add(name + ": entry `" + e.getName() + "` points outside the image root; ignored");
      return;
    }
    String path = cleaned.get();
    int slash = path.lastIndexOf('/');
    String base = path.substring(slash + 1);
    String dir = slash < 0 ? "" : path.substring(0, slash);
    if (base.equals(OPAQUE)) {
      consumers.forEach(c -> c.clear(dir));
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(WHITEOUT.length());
      consumers.forEach(c -> c.delete(gone));
      return;
    }
    if (!e.isFile() || e.isLink() || e.isSymbolicLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      return;
    }
    long size = e.getSize();
    List<ImageFiles> takers = new ArrayList<>();
    for (ImageFiles c : consumers) {
      if (c.wants(path, size)) {
        takers.add(c);
      }
    }
    if (takers.isEmpty()) {
      return;
    }
    if (takers.size() == 1 || size > MAX_SHARED_FILE) {
      give(takers.get(0), path, layer, new Unclosable(tar), size, problems, name);
      return;
    }
    byte[] bytes = tar.readNBytes((int) size);
    for (ImageFiles c : takers) {
      give(c, path, layer, new ByteArrayInputStream(bytes), size, problems, name);
    }
  }

  private static void give(ImageFiles c, String path, String layer, InputStream in, long size, List<String> problems,
      String name) throws IOException {
    try {
      c.file(path, layer, in, size);
    } catch (ImageIoError e) {
      throw e;
    } catch (IOException e) {
      problems.add(name + ": file `" + path + "` could not be read: " + message(e));
    }
  }

  /**
   * The entry's path relative to the image root: leading {@code /} and {@code ./} dropped (as
   * Docker extracts them), {@code .} and {@code ..} resolved; empty when it climbs above the root.
   */
  static Optional<String> inside(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return Optional.empty();
        }
        parts.removeLast();
        continue;
      }
      parts.addLast(p);
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
  }

  /** Errors of the layer stream itself, as opposed to a consumer's trouble with one file. */
  private static class ImageIoError extends IOException {
    ImageIoError(String message) {
      super(message);
    }
  }

  /** Counts and hashes what passes, and stops at {@code limit} bytes. */
  private static final class Hashing extends FilterInputStream {
    private final MessageDigest sha;
    private final long limit;
    private final String name;
    long count;
    /** Time spent in reads, including the reads of the stream beneath. */
    long nanos;

    Hashing(InputStream in, long limit, String name) {
      super(in);
      this.limit = limit;
      this.name = name;
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    static final class Bound extends ImageIoError {
      final long limit;

      Bound(String name, long limit) {
        super(name + " unpacks to more than " + limit + " bytes");
        this.limit = limit;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long start = System.nanoTime();
      int n = in.read(b, off, len);
      if (n > 0) {
        sha.update(b, off, n);
        count += n;
      }
      nanos += System.nanoTime() - start;
      if (count > limit) {
        throw new Bound(name, limit);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    String digest() {
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
  }

  /** The tar stream for one entry, which a consumer must not close. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}

package dev.kapas.source.image;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image on disk: an OCI image layout (a directory, or a tar of one as {@code docker save}
 * of Docker 25+ and {@code skopeo copy oci-archive:} write), or the older {@code docker save}
 * format ({@code manifest.json}, a config file and one tar per layer). Tars are read in place
 * (random access to their entries), never extracted.
 *
 * <p>The older format has no manifest; one is made up from {@code manifest.json} in which the
 * layers are named by their uncompressed digests (the config's {@code rootfs.diff_ids}), so that
 * those are what gets checked.
 */
final class LocalStore implements ImageStore {
  static final int MAX_JSON = 8 << 20;
  private final Entries files;
  private final Map<String, String> dockerBlobs = new HashMap<>();

  private LocalStore(Entries files) {
    this.files = files;
  }

  /** The image at {@code path} (a directory or a tar file). */
  static LocalStore open(Path path) throws ImageError, IOException {
    if (Files.isDirectory(path)) {
      return new LocalStore(new DirFiles(path));
    }
    try {
      return new LocalStore(new TarFiles(new TarFile(path)));
    } catch (IOException e) {
      throw new ImageError("not an OCI layout directory nor a tar file (" + e.getMessage() + ")");
    }
  }

  @Override
  public Manifest root() throws ImageError, IOException {
    if (files.size("index.json").isPresent()) {
      return new Manifest(files.read("index.json", MAX_JSON), "application/vnd.oci.image.index.v1+json", "");
    }
    if (files.size("manifest.json").isPresent()) {
      return dockerManifest();
    }
    throw new ImageError("neither an OCI image layout (no index.json) nor a docker save archive (no manifest.json)");
  }

  /** The older docker save format, as a Docker image manifest whose layers are named by their diff IDs. */
  private Manifest dockerManifest() throws ImageError, IOException {
    List<Object> entries;
    try {
      entries = Json.list(Json.object(("{\"m\":" + new String(files.read("manifest.json", MAX_JSON),
          StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8), "manifest.json"), "m");
    } catch (ImageError e) {
      throw new ImageError("manifest.json is not a JSON list of images");
    }
    if (entries.size() != 1 || !(entries.get(0) instanceof Map<?, ?>)) {
      throw new ImageError("manifest.json lists " + entries.size() + " images; kapas reads archives of one image "
          + "(docker save one image at a time)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> entry = (Map<String, Object>) entries.get(0);
    String configPath = Json.str(entry, "Config");
    byte[] config = files.read(configPath, MAX_JSON);
    String configDigest = "sha256:" + HexFormat.of().formatHex(sha256(config));
    dockerBlobs.put(configDigest, configPath);
    List<String> layerPaths = Json.strings(entry, "Layers");
    List<String> diffIds = Json.strings(Json.obj(Json.object(config, "config " + configPath), "rootfs"), "diff_ids");
    if (diffIds.size() != layerPaths.size()) {
      throw new ImageError("manifest.json lists " + layerPaths.size() + " layers but config " + configPath + " has "
          + diffIds.size() + " diff_ids");
    }
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
        .append(ImageReader.DOCKER_MANIFEST).append("\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",")
        .append("\"digest\":\"").append(configDigest).append("\",\"size\":").append(config.length).append("},\"layers\":[");
    for (int i = 0; i < layerPaths.size(); i++) {
      String p = layerPaths.get(i);
      long size = files.size(p).orElseThrow(() -> new ImageError("layer " + p + " named in manifest.json is missing"));
      dockerBlobs.put(diffIds.get(i), p);
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar\",")
          .append("\"digest\":\"").append(diffIds.get(i).replace("\"", "")).append("\",\"size\":").append(size).append('}');
    }
    json.append("]}");
    return new Manifest(json.toString().getBytes(StandardCharsets.UTF_8), ImageReader.DOCKER_MANIFEST, "");
  }

  @Override
  public byte[] manifest(Descriptor d, int limit) throws ImageError, IOException {
    return files.read(path(d), limit);
  }

  @Override
  public InputStream blob(Descriptor d) throws ImageError, IOException {
    return files.open(path(d));
  }

  private String path(Descriptor d) {
    return dockerBlobs.getOrDefault(d.digest(), "blobs/sha256/" + d.hex());
  }

  @Override
  public void close() throws IOException {
    files.close();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The files of a layout, by slash-separated relative path; a path leaving the root is never opened. */
  private interface Entries extends java.io.Closeable {
    Optional<Long> size(String path) throws IOException;

    InputStream open(String path) throws ImageError, IOException;

    default byte[] read(String path, int limit) throws ImageError, IOException {
      long size = size(path).orElseThrow(() -> new ImageError(path + " is missing"));
      if (size > limit) {
        throw new ImageError(path + " is " + size + " bytes, more than the " + limit + " a manifest or config may have");
      }
      try (InputStream in = open(path)) {
        return in.readNBytes(limit);
      }
    }
  }

  private static String clean(String path) throws ImageError {
    String p = path.startsWith("./") ? path.substring(2) : path;
    for (String part : p.split("/")) {
      if (part.equals("..")) {
        throw new ImageError("`" + path + "` points outside the image");
      }
    }
    if (p.startsWith("/") || p.isEmpty()) {
      throw new ImageError("`" + path + "` is not a relative path inside the image");
    }
    return p;
  }

  private record DirFiles(Path root) implements Entries {
    @Override
    public Optional<Long> size(String path) throws IOException {
      try {
        Path p = root.resolve(clean(path));
        return Files.isRegularFile(p) ? Optional.of(Files.size(p)) : Optional.empty();
      } catch (ImageError e) {
        return Optional.empty();
      }
    }

    @Override
    public InputStream open(String path) throws ImageError, IOException {
      try {
        return Files.newInputStream(root.resolve(clean(path)));
      } catch (NoSuchFileException | FileNotFoundException e) {
        throw new ImageError(path + " is missing");
      }
    }

    @Override
    public void close() {}
  }

  private static final class TarFiles implements Entries {
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();

    TarFiles(TarFile tar) {
      this.tar = tar;
      for (TarArchiveEntry e : new ArrayList<>(tar.getEntries())) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (e.isFile()) {
          entries.put(name, e);
        }
      }
    }

    @Override
    public Optional<Long> size(String path) {
      TarArchiveEntry e = entries.get(path.startsWith("./") ? path.substring(2) : path);
      return e == null ? Optional.empty() : Optional.of(e.getSize());
    }

    @Override
    public InputStream open(String path) throws ImageError, IOException {
      TarArchiveEntry e = entries.get(clean(path));
      if (e == null) {
        throw new ImageError(path + " is missing");
      }
      return tar.getInputStream(e);
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }
}

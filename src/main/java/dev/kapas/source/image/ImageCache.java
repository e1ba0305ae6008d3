package dev.kapas.source.image;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.rules.code.SecretDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What image rules need of an image, kept by manifest digest ({@code <dir>/sha256-<hex>.json}),
 * so a second scan of the same images reads no layer again. A digest names immutable content, so
 * an entry never goes stale; one written by another kapas version (whose catalogers may find
 * more) is read again. Entries hold no secret kapas found (only the redacted matches), but they
 * do hold the image config's environment as the image ships it, so they are written readable by
 * the owner only.
 */
public final class ImageCache {
  private static final String FORMAT = "kapas-image-cache/1 "
      + Optional.ofNullable(ImageCache.class.getPackage().getImplementationVersion()).orElse("dev");
  private static final JsonFactory JSON = new JsonFactory();

  private final Path dir;

  public ImageCache(Path dir) {
    this.dir = dir;
  }

  /** {@code $XDG_CACHE_HOME/kapas/images}, else {@code $HOME/.cache/kapas/images}. */
  public static Path defaultDir(Map<String, String> env) {
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    Path cache = xdg.isEmpty()
        ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache") : Path.of(xdg);
    return cache.resolve("kapas").resolve("images");
  }

  /** An image read before, with the problems its reading had. */
  public record Entry(ImageFact image, List<String> problems) {}

  private Path file(String digest) {
    return dir.resolve(digest.replace(':', '-') + ".json");
  }

  /** The entry for {@code digest}, named {@code name}; empty when there is none or it cannot be used. */
  public Optional<Entry> get(String digest, String name, String reference, LocalDate today) {
    if (!Descriptor.isDigest(digest)) {
      return Optional.empty();
    }
    Path f = file(digest);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> m = Json.object(Files.readAllBytes(f), f.toString());
      if (!Json.str(m, "format").equals(FORMAT) || !Json.str(m, "digest").equals(digest)) {
        return Optional.empty();
      }
      Map<String, Object> c = Json.obj(m, "config");
      Map<String, String> labels = new java.util.LinkedHashMap<>();
      Json.obj(c, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
      ImageConfig config = new ImageConfig(Json.str(c, "user"), Json.strings(c, "env"), Json.strings(c, "exposedPorts"),
          Json.strings(c, "history"), labels);
      Map<String, Object> p = Json.obj(m, "platform");
      List<Layer> layers = new ArrayList<>();
      for (Map<String, Object> l : Json.objects(m, "layers")) {
        layers.add(new Layer(Json.str(l, "digest"), Json.str(l, "diffId"), Json.num(l, "size"), Json.str(l, "mediaType")));
      }
      List<SoftwarePackage> packages = new ArrayList<>();
      for (Map<String, Object> s : Json.objects(m, "packages")) {
        packages.add(new SoftwarePackage(Json.str(s, "ecosystem"), Json.str(s, "name"), Json.str(s, "version"),
            Json.str(s, "sourceName"), Json.str(s, "sourceVersion"), Json.str(s, "purl"), Json.str(s, "path"),
            (int) Json.num(s, "line"), Json.str(s, "layer")));
      }
      List<FileSecret> secrets = new ArrayList<>();
      for (Map<String, Object> s : Json.objects(m, "secrets")) {
        secrets.add(new FileSecret(Json.str(s, "path"), Json.str(s, "layer"), new SecretDetector.Match(
            SecretDetector.Kind.valueOf(Json.str(s, "kind")), Json.str(s, "name"), Json.str(s, "hint"),
            (int) Json.num(s, "line"), Json.num(s, "fingerprint"))));
      }
      Map<String, Object> os = Json.obj(m, "os");
      ImageFact image = new ImageFact(name, reference, digest, Json.str(m, "imageId"),
          new Platform(Json.str(p, "os"), Json.str(p, "architecture"), Json.str(p, "variant")), config, layers,
          packages, new OsRelease(Json.str(os, "id"), Json.str(os, "versionId"), Json.str(os, "prettyName")),
          Json.strings(m, "sshServers"), secrets, today);
      return Optional.of(new Entry(image, Json.strings(m, "problems")));
    } catch (IOException | ImageError | IllegalArgumentException e) {
      return Optional.empty(); // unreadable or from an unknown format: read the image again, and overwrite
    }
  }

  /** Keeps {@code image} under its manifest digest; a cache that cannot be written is only slower. */
  public void put(ImageFact image, List<String> problems) {
    if (!Descriptor.isDigest(image.digest())) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".entry", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions
      }
      try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        write(g, image, problems);
      }
      try {
        Files.move(tmp, file(image.digest()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(image.digest()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // the scan goes on without a cache entry
    }
  }

  private static void write(JsonGenerator g, ImageFact image, List<String> problems) throws IOException {
    g.writeStartObject();
    g.writeStringField("format", FORMAT);
    g.writeStringField("digest", image.digest());
    g.writeStringField("imageId", image.imageId());
    g.writeObjectFieldStart("platform");
    g.writeStringField("os", image.platform().os());
    g.writeStringField("architecture", image.platform().architecture());
    g.writeStringField("variant", image.platform().variant());
    g.writeEndObject();
    ImageConfig c = image.config();
    g.writeObjectFieldStart("config");
    g.writeStringField("user", c.user());
    strings(g, "env", c.env());
    strings(g, "exposedPorts", c.exposedPorts());
    strings(g, "history", c.history());
    g.writeObjectFieldStart("labels");
    for (Map.Entry<String, String> e : c.labels().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeArrayFieldStart("layers");
    for (Layer l : image.layers()) {
      g.writeStartObject();
      g.writeStringField("digest", l.digest());
      g.writeStringField("diffId", l.diffId());
      g.writeNumberField("size", l.size());
      g.writeStringField("mediaType", l.mediaType());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("packages");
    for (SoftwarePackage p : image.packages()) {
      g.writeStartObject();
      g.writeStringField("ecosystem", p.ecosystem());
      g.writeStringField("name", p.name());
      g.writeStringField("version", p.version());
      g.writeStringField("sourceName", p.sourceName());
      g.writeStringField("sourceVersion", p.sourceVersion());
      g.writeStringField("purl", p.purl());
      g.writeStringField("path", p.path());
      g.writeNumberField("line", p.line());
      g.writeStringField("layer", p.layer());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("os");
    g.writeStringField("id", image.os().id());
    g.writeStringField("versionId", image.os().versionId());
    g.writeStringField("prettyName", image.os().prettyName());
    g.writeEndObject();
    strings(g, "sshServers", image.sshServers());
    g.writeArrayFieldStart("secrets");
    for (FileSecret s : image.secrets()) {
      g.writeStartObject();
      g.writeStringField("path", s.path());
      g.writeStringField("layer", s.layer());
      g.writeStringField("kind", s.match().kind().name());
      g.writeStringField("name", s.match().name());
      g.writeStringField("hint", s.match().hint());
      g.writeNumberField("line", s.match().line());
      g.writeNumberField("fingerprint", s.match().fingerprint());
      g.writeEndObject();
    }
    g.writeEndArray();
    strings(g, "problems", problems);
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}

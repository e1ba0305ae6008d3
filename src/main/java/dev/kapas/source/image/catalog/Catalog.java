package dev.kapas.source.image.catalog;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.source.image.ImageFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is installed in an image (or a directory tree): fed the files layer by layer, bottom first,
 * it keeps what each wanted file yields, per path, so a later layer's file replaces an earlier
 * one and a whiteout removes it; file contents are never kept. After the last layer, {@link
 * #packages()} names each package with the distribution that {@link #os()} found.
 *
 * <p>A file that cannot be read is a {@link #problems() problem} naming it, and the rest of the
 * image is still catalogued. An error of the stream itself (a broken layer) goes back to the
 * caller, who owns the layer.
 */
public final class Catalog implements ImageFiles {
  private static final List<String> OS_RELEASE = List.of("etc/os-release", "usr/lib/os-release");

  // Go's cataloger reads any file that looks like an executable, so it comes last: the others claim theirs first.
  private final List<Cataloger> catalogers = List.of(
      new DpkgCataloger(), new RpmCataloger(), new ApkCataloger(), new JavaArchiveCataloger(),
      new NpmCataloger(), new PythonCataloger(), new GoBinaryCataloger());
  private final TreeMap<String, FileResult> results = new TreeMap<>();
  private final TreeMap<String, OsRelease> osReleases = new TreeMap<>();

  private record FileResult(String layer, List<Found> packages, List<Diagnostic> problems) {}

  @Override
  public boolean wants(String path, long size) {
    return OS_RELEASE.contains(path) || catalogerFor(path, size).isPresent();
  }

  @Override
  public void file(String path, String layerDigest, InputStream content, long size) throws IOException {
    if (OS_RELEASE.contains(path)) {
      osReleases.put(path, OsRelease.parse(Limits.readAll(content, Limits.MANIFEST_BYTES)));
      return;
    }
    Optional<Cataloger> cataloger = catalogerFor(path, size);
    if (cataloger.isEmpty()) {
      return;
    }
    StreamGuard guarded = new StreamGuard(content);
    List<Diagnostic> problems = new ArrayList<>();
    List<Found> found = List.of();
    try {
      Cataloger.Parsed parsed = cataloger.get().read(path, guarded, size);
      found = parsed.packages();
      parsed.problems().forEach(p -> problems.add(new Diagnostic(path, p.line(), 0, p.message())));
    } catch (IOException | RuntimeException e) {
      if (guarded.failed) {
        throw guarded.failure;
      }
      // One unreadable file must not cost the image's inventory: it is reported and skipped.
      problems.add(Diagnostic.ofFile(path, "not catalogued: " + describe(e)));
    }
    results.put(path, new FileResult(layerDigest, found, List.copyOf(problems)));
  }

  @Override
  public void delete(String path) {
    osReleases.remove(path);
    results.remove(path);
    clear(path);
  }

  @Override
  public void clear(String dir) {
    if (dir.isEmpty()) { // an opaque marker at the root: nothing of the lower layers stays
      results.clear();
      osReleases.clear();
      return;
    }
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    results.subMap(prefix, prefix + Character.MAX_VALUE).clear();
    osReleases.subMap(prefix, prefix + Character.MAX_VALUE).clear();
  }

  /**
   * Feeds every wanted regular file under {@code root} (symbolic links are not followed), as one
   * layer with an empty digest: for directory trees, {@code kapas code}, and tests.
   */
  public Catalog readTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (attrs.isRegularFile() && wants(rel, attrs.size())) {
          try (InputStream in = Files.newInputStream(file)) {
            file(rel, "", in, attrs.size());
          } catch (IOException e) {
            results.put(rel, new FileResult("", List.of(), List.of(Diagnostic.ofFile(rel, "not read: " + describe(e)))));
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        results.put(rel, new FileResult("", List.of(), List.of(Diagnostic.ofFile(rel, "not read: " + describe(e)))));
        return FileVisitResult.CONTINUE;
      }
    });
    return this;
  }

  /** The distribution, from {@code etc/os-release}, else {@code usr/lib/os-release} (os-release(5)'s order). */
  public Optional<OsRelease> os() {
    return OS_RELEASE.stream().map(osReleases::get).filter(o -> o != null).findFirst();
  }

  /** Every package found, ordered by the file that declares it. */
  public List<SoftwarePackage> packages() {
    Optional<OsRelease> os = os();
    List<SoftwarePackage> out = new ArrayList<>();
    results.forEach((path, result) -> {
      for (Found f : result.packages()) {
        out.add(new SoftwarePackage(ecosystem(f, os), f.name(), f.version(), f.sourceName(), f.sourceVersion(),
            purl(f, os), path, f.line(), result.layer()));
      }
    });
    return out;
  }

  /** Files (and parts of files) that could not be read, each with its path and line. */
  public List<Diagnostic> problems() {
    List<Diagnostic> out = new ArrayList<>();
    results.values().forEach(r -> out.addAll(r.problems()));
    return out;
  }

  private Optional<Cataloger> catalogerFor(String path, long size) {
    return catalogers.stream().filter(c -> c.wants(path, size)).findFirst();
  }

  private static String ecosystem(Found f, Optional<OsRelease> os) {
    return switch (f.purlType()) {
      case "deb" -> os.map(OsRelease::ecosystem).orElse("Debian");
      case "rpm" -> os.map(OsRelease::ecosystem).orElse("Red Hat");
      case "apk" -> os.map(OsRelease::ecosystem).orElse("Alpine");
      case "maven" -> "Maven";
      case "npm" -> "npm";
      case "pypi" -> "PyPI";
      case "golang" -> "Go";
      default -> f.purlType();
    };
  }

  /** The purl as Syft and Trivy write it; distribution packages get the os-release id as namespace and a distro qualifier. */
  static String purl(Found f, Optional<OsRelease> os) {
    try {
      PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(f.purlType()).withName(f.purlName());
      String namespace = f.isDistributionPackage() ? os.map(OsRelease::purlNamespace).orElse("") : f.purlNamespace();
      if (!namespace.isEmpty()) {
        b.withNamespace(namespace);
      }
      if (!f.purlVersion().isEmpty()) {
        b.withVersion(f.purlVersion());
      }
      for (Map.Entry<String, String> q : f.qualifiers().entrySet()) {
        if (!q.getValue().isEmpty()) {
          b.withQualifier(q.getKey(), q.getValue());
        }
      }
      if (f.isDistributionPackage() && os.isPresent()) {
        b.withQualifier("distro", os.get().purlDistro());
      }
      return b.build().canonicalize();
    } catch (MalformedPackageURLException e) {
      // packageurl-java refuses only names no ecosystem allows; the package still counts, purl-less
      return "";
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Remembers a failure of the underlying stream, to tell a broken layer from a malformed file. */
  private static final class StreamGuard extends FilterInputStream {
    boolean failed;
    IOException failure;

    StreamGuard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public void close() {
      // the caller owns the layer stream; catalogers must not close it
    }

    private IOException fail(IOException e) {
      failed = true;
      failure = e;
      return e;
    }
  }
}

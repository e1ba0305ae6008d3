package dev.kapas.source.image;

import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The image collector: turns what the user named (a path to an OCI layout directory, a {@code
 * docker save} or OCI archive tar, else a registry reference) into an {@link ImageFact}. A name
 * that exists as a file or directory is read from disk; anything else is a reference.
 */
public final class ImageSource {
  /**
   * Finds packages while the layers stream (the catalogers); asked for {@link #packages()} after
   * the last layer.
   */
  public interface PackageCatalog extends ImageFiles {
    List<SoftwarePackage> packages();
  }

  /** Outcome for one image: the fact, or why it could not be read; problems are entries skipped in a read image. */
  public record Result(Optional<ImageFact> image, List<String> problems) {}

  private final RegistryClient registry;
  private final Platform platform;
  private final ImageReader.Limits limits;
  private final Supplier<PackageCatalog> catalogs;
  private final Path workingDir;
  private final LocalDate today;

  public ImageSource(RegistryClient registry, Platform platform, Supplier<PackageCatalog> catalogs, Path workingDir,
      LocalDate today) {
    this(registry, platform, ImageReader.Limits.DEFAULT, catalogs, workingDir, today);
  }

  ImageSource(RegistryClient registry, Platform platform, ImageReader.Limits limits, Supplier<PackageCatalog> catalogs,
      Path workingDir, LocalDate today) {
    this.registry = registry;
    this.platform = platform;
    this.limits = limits;
    this.catalogs = catalogs;
    this.workingDir = workingDir;
    this.today = today;
  }

  LocalDate today() {
    return today;
  }

  /** No packages: until catalogers are plugged in, images are read for their config and files only. */
  public static PackageCatalog noPackages() {
    return new PackageCatalog() {
      @Override
      public boolean wants(String path, long size) {
        return false;
      }

      @Override
      public void file(String path, String layerDigest, java.io.InputStream content, long size) {}

      @Override
      public void delete(String path) {}

      @Override
      public void clear(String dir) {}

      @Override
      public List<SoftwarePackage> packages() {
        return List.of();
      }
    };
  }

  /** Reads the image {@code name}; an image that cannot be read is an {@link ImageError} naming the blob. */
  public Result read(String name) throws ImageError {
    Path path = workingDir.resolve(name);
    if (Files.exists(path)) {
      try (ImageStore store = LocalStore.open(path)) {
        return read(name, "", store);
      } catch (IOException e) {
        throw new ImageError("cannot read: " + e.getMessage());
      }
    }
    Optional<ImageRef> ref = ImageRef.parse(name);
    if (ref.isEmpty()) {
      throw new ImageError("no such file or directory, and not an image reference ([REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST])");
    }
    try {
      return read(name, ref.get().display(), new RegistryStore(registry, ref.get()));
    } catch (IOException e) {
      throw new ImageError("connection failed: " + e.getMessage());
    }
  }

  /**
   * The digest of the image manifest {@code ref} stands for on this platform (an index is followed
   * to the platform's entry): what {@link ImageCache} and de-duplication go by.
   */
  public String resolve(RegistryClient client, ImageRef ref) throws ImageError {
    try {
      return new ImageReader(platform, limits).resolve(new RegistryStore(client, ref)).digest();
    } catch (IOException e) {
      throw new ImageError("connection failed: " + e.getMessage());
    }
  }

  /** Reads the registry image {@code ref} through {@code client}, naming it {@code name}. */
  public Result read(RegistryClient client, ImageRef ref, String name) throws ImageError {
    try {
      return read(name, ref.display(), new RegistryStore(client, ref));
    } catch (IOException e) {
      throw new ImageError("connection failed: " + e.getMessage());
    }
  }

  private Result read(String name, String reference, ImageStore store) throws ImageError, IOException {
    FileFacts files = new FileFacts();
    PackageCatalog catalog = catalogs.get();
    ImageReader.Contents c = new ImageReader(platform, limits).read(store, List.of(files, catalog));
    ImageFact fact = new ImageFact(name, reference, c.manifestDigest(), c.configDigest(), c.platform(), c.config(),
        c.layers(), catalog.packages(), files.os(), files.sshServers(), files.secrets(), today);
    return new Result(Optional.of(fact), new ArrayList<>(c.problems()));
  }
}

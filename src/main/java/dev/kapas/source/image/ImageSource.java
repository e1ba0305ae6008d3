package dev.kapas.source.image;

import dev.kapas.model.Diagnostic;
import dev.kapas.source.image.catalog.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image collector: turns what the user named (a path to an OCI layout directory, a {@code
 * docker save} or OCI archive tar, else a registry reference) into an {@link ImageFact}. A name
 * that exists as a file or directory is read from disk; anything else is a reference. The layers
 * stream once through the image rules' file facts and the package {@link Catalog}, which keeps
 * for each package the layer that brought the file declaring it.
 */
public final class ImageSource {

  /**
   * Outcome for one image: the fact; {@code problems} are entries of a read image that were skipped
   * (input errors); {@code notes} files inside it the catalogers could not read (the rest of the
   * inventory stands); {@code timings} where the time went.
   */
  public record Result(Optional<ImageFact> image, List<String> problems, List<String> notes, ReadTimings timings) {}

  private final RegistryClient registry;
  private final Platform platform;
  private final ImageReader.Limits limits;
  private final List<ImageFiles> observers;
  private final Path workingDir;
  private final LocalDate today;

  public ImageSource(RegistryClient registry, Platform platform, Path workingDir, LocalDate today) {
    this(registry, platform, ImageReader.Limits.DEFAULT, List.of(), workingDir, today);
  }

  /** {@code observers} see the files too (tests). */
  ImageSource(RegistryClient registry, Platform platform, ImageReader.Limits limits, List<ImageFiles> observers,
      Path workingDir, LocalDate today) {
    this.registry = registry;
    this.platform = platform;
    this.limits = limits;
    this.observers = List.copyOf(observers);
    this.workingDir = workingDir;
    this.today = today;
  }

  LocalDate today() {
    return today;
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
    Catalog catalog = new Catalog();
    List<ImageFiles> consumers = new ArrayList<>(List.of(files, catalog));
    consumers.addAll(observers);
    ImageReader.Contents c = new ImageReader(platform, limits).read(store, consumers);
    OsRelease os = catalog.os().map(o -> new OsRelease(o.id(), o.versionId(), o.prettyName())).orElse(OsRelease.NONE);
    ImageFact fact = new ImageFact(name, reference, c.manifestDigest(), c.configDigest(), c.platform(), c.config(),
        c.layers(), catalog.packages(), os, files.sshServers(), files.secrets(), today);
    List<String> notes = catalog.problems().stream().map(Diagnostic::display).toList();
    return new Result(Optional.of(fact), new ArrayList<>(c.problems()), notes, c.timings());
  }
}

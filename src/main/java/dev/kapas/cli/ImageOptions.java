package dev.kapas.cli;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.source.image.ImageCache;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.RegistryClient;
import dev.kapas.source.image.WorkloadImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --images} of {@code kapas scan} and {@code kapas cluster}: also read the images the workloads run. */
final class ImageOptions {
  @Option(names = "--images",
      description = "Also read every image the workloads name (containers, initContainers, ephemeralContainers) and "
          + "run the image rules on it; findings go to the workload, at the container's image line. Each distinct "
          + "image is resolved to its digest once and read once; what the rules need is kept by digest in "
          + "--image-cache, so a second run reads no layer again.")
  boolean images;

  @Option(names = "--image-concurrency", paramLabel = "N", description = "With --images: images read at a time (default: 4).")
  int concurrency = 4;

  @Option(names = "--image-cache", paramLabel = "DIR",
      description = "With --images: where images read before are kept (default: $XDG_CACHE_HOME/kapas/images, else "
          + "~/.cache/kapas/images).")
  Path cacheDir;

  @Option(names = "--no-image-cache", description = "With --images: neither read nor write the image cache.")
  boolean noCache;

  @Option(names = "--progress",
      description = "With --images: one line per image on stderr even when stderr is not a terminal.")
  boolean progress;

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  /** What the images gave: facts (the images and their uses) and input errors. */
  record Read(List<Fact> facts, List<Diagnostic> errors) {}

  /** Tells a usage error about the options (printed), else empty. */
  Optional<String> check() {
    if (concurrency < 1) {
      return Optional.of("--image-concurrency must be at least 1");
    }
    if (!images && (cacheDir != null || noCache || progress || concurrency != 4)) {
      return Optional.of("--image-concurrency, --image-cache, --no-image-cache and --progress go with --images");
    }
    return Optional.empty();
  }

  /** The registry setup, or empty after printing why the options cannot be used. */
  Optional<RegistryOptions.Registry> prepare(Env env, String command) {
    return registry.prepare(env, command);
  }

  /** How a pod pulls: with its own credentials (cluster pull secrets), else the defaults. */
  interface Clients {
    RegistryClient of(ContainerView container) throws ImageError;
  }

  /** Reads the images {@code containers} name; every container's client from {@code clients}. */
  Read read(List<ContainerView> containers, RegistryOptions.Registry reg, Clients clients, Env env, String command) {
    List<WorkloadImages.Wanted> wanted = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    for (ContainerView c : containers) {
      try {
        wanted.add(new WorkloadImages.Wanted(c, clients.of(c)));
      } catch (ImageError e) {
        wanted.add(new WorkloadImages.Wanted(c, reg.client()));
        errors.add(Diagnostic.ofFile(c.pod().object().origin().file(), c.pod().object().ref().display() + ": "
            + e.getMessage()));
      }
    }
    boolean tell = progress || env.interactive();
    Optional<ImageCache> cache = noCache ? Optional.empty()
        : Optional.of(new ImageCache(cacheDir != null ? env.workingDir().resolve(cacheDir)
            : ImageCache.defaultDir(env.variables())));
    WorkloadImages.Result r = new WorkloadImages(reg.source(env), cache, concurrency, line -> {
      if (tell) {
        synchronized (env.err()) {
          env.err().println(command + ": " + line);
        }
      }
    }).read(wanted);
    List<Fact> facts = new ArrayList<>(r.images());
    facts.addAll(r.uses());
    errors.addAll(r.errors());
    return new Read(facts, errors);
  }
}

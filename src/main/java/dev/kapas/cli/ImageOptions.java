package dev.kapas.cli;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.source.image.ImageCache;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageUse;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.image.sign.ImageSignatures;
import dev.kapas.source.image.sign.SignatureUse;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.RegistryClient;
import dev.kapas.source.image.WorkloadImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

  @Mixin
  SigningKeys signing = new SigningKeys();

  /** Images whose signatures are looked up at the same time. */
  private static final int SIGNATURE_CHECKS = 8;

  /** What the images gave: facts (the images and their uses) and input errors. */
  record Read(List<Fact> facts, List<Diagnostic> errors) {}

  /** Tells a usage error about the options (printed), else empty. */
  Optional<String> check() {
    if (concurrency < 1) {
      return Optional.of("--image-concurrency must be at least 1");
    }
    if (!images && (cacheDir != null || noCache || progress || concurrency != 4 || !signing.keys.isEmpty())) {
      return Optional.of("--image-concurrency, --image-cache, --no-image-cache, --progress and --key go with --images");
    }
    return Optional.empty();
  }

  /** The registry setup, or empty after printing why the options cannot be used. */
  Optional<RegistryOptions.Registry> prepare(Env env, String command) {
    return registry.prepare(env, command);
  }

  /** The signature policy: {@code configured} (.kapas.yaml) and --key; empty after printing why a key is unusable. */
  Optional<ImagePolicy> policy(ImagePolicy configured, Env env, String command) {
    return signing.policy(configured, env, command);
  }

  /** How a pod pulls: with its own credentials (cluster pull secrets), else the defaults. */
  interface Clients {
    RegistryClient of(ContainerView container) throws ImageError;
  }

  /**
   * Reads the images {@code containers} name, every container's with the client from {@code
   * clients}, and checks their signatures against {@code policy} with the same client.
   */
  Read read(List<ContainerView> containers, RegistryOptions.Registry reg, Clients clients, ImagePolicy policy,
      Env env, String command) {
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
    signatures(r, wanted, policy, facts, errors);
    return new Read(facts, errors);
  }

  /**
   * The signature checks of the images read, each looked up with the client of the first
   * container that runs it: the checks, and one use of each per container, so findings land on
   * the workloads at their image lines.
   */
  private static void signatures(WorkloadImages.Result r, List<WorkloadImages.Wanted> wanted, ImagePolicy policy,
      List<Fact> facts, List<Diagnostic> errors) {
    if (policy.isEmpty()) {
      return;
    }
    Map<ContainerView, RegistryClient> clientOf = new IdentityHashMap<>();
    wanted.forEach(w -> clientOf.put(w.container(), w.client()));
    Map<ImageFact, List<ContainerView>> users = new IdentityHashMap<>();
    for (ImageUse u : r.uses()) {
      users.computeIfAbsent(u.image(), k -> new ArrayList<>()).add(u.container());
    }
    List<ImageSignatures.Target> targets = new ArrayList<>();
    for (ImageFact image : r.images()) {
      targets.add(new ImageSignatures.Target(image, clientOf.get(users.get(image).get(0))));
    }
    for (ImageSignatures.Checked c : new ImageSignatures(policy).checkAll(targets, SIGNATURE_CHECKS)) {
      List<ContainerView> by = users.get(c.image());
      facts.addAll(c.facts());
      for (ContainerView container : by) {
        c.facts().forEach(f -> facts.add(new SignatureUse(f, container)));
      }
      c.error().ifPresent(e -> errors.add(WorkloadImages.error(by.get(0), c.image().name(), e)));
    }
  }
}

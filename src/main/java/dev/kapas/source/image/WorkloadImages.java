package dev.kapas.source.image;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The images behind workloads ({@code kapas scan --images}, {@code kapas cluster --images}): every
 * container of every pod-bearing object (containers, initContainers, ephemeralContainers) names
 * one. Each distinct reference is resolved to a manifest digest once (per set of credentials),
 * each distinct digest is read once, from the {@link ImageCache} when it is there, a few at a
 * time; then every container that names an image becomes an {@link ImageUse}.
 */
public final class WorkloadImages {
  /** A container naming an image, and the client its pod pulls with (its pull secrets, else the defaults). */
  public record Wanted(ContainerView container, RegistryClient client) {
    String reference() {
      return container.get("image").node().textOr("").strip();
    }

    Diagnostic error(String image, String message) {
      return WorkloadImages.error(container, image, message);
    }
  }

  /** An input error about {@code image} as {@code container} names it, at its {@code image:} line. */
  public static Diagnostic error(ContainerView container, String image, String message) {
    Field at = container.get("image");
    KubeObject o = container.pod().object();
    return new Diagnostic(o.fileOf(at), at.line(), at.column(), "image " + image + " (" + container.label() + " of "
        + o.ref().display() + "): " + message);
  }

  /** One fact per image name the workloads use, one use per container, and what could not be read. */
  public record Result(List<ImageFact> images, List<ImageUse> uses, List<Diagnostic> errors) {}

  private final ImageSource source;
  private final Optional<ImageCache> cache;
  private final int concurrency;
  private final Consumer<String> progress;

  /**
   * @param cache where images read before are kept (empty: none)
   * @param concurrency how many images are resolved or read at a time
   * @param progress told one line per image read
   */
  public WorkloadImages(ImageSource source, Optional<ImageCache> cache, int concurrency, Consumer<String> progress) {
    this.source = source;
    this.cache = cache;
    this.concurrency = Math.max(1, concurrency);
    this.progress = progress;
  }

  /** Every container of {@code objects} that sets {@code image}, in inventory order. */
  public static List<ContainerView> containers(List<KubeObject> objects) {
    List<ContainerView> out = new ArrayList<>();
    for (KubeObject o : objects) {
      PodView.of(o).ifPresent(pod -> {
        for (ContainerView c : pod.containers()) {
          if (c.get("image").isPresent() && !c.get("image").node().isNull()) {
            out.add(c);
          }
        }
      });
    }
    return out;
  }

  private record Pull(String reference, RegistryClient client) {}

  /** A resolution or a read: what it gave, or why it failed. */
  private record Outcome<T>(T value, String error) {}

  public Result read(List<Wanted> wanted) {
    Map<Pull, List<Wanted>> byPull = new LinkedHashMap<>();
    for (Wanted w : wanted) {
      byPull.computeIfAbsent(new Pull(w.reference(), w.client()), k -> new ArrayList<>()).add(w);
    }
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "kapas-images");
      t.setDaemon(true);
      return t;
    });
    try {
      // 1. each reference (per client) to a digest
      Map<Pull, ImageRef> refs = new LinkedHashMap<>();
      Map<Pull, Future<Outcome<String>>> resolving = new LinkedHashMap<>();
      for (Pull p : byPull.keySet()) {
        Optional<ImageRef> ref = ImageRef.parse(p.reference());
        if (ref.isEmpty() || p.reference().isEmpty()) {
          resolving.put(p, done(new Outcome<>(null,
              "not an image reference ([REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST])")));
          continue;
        }
        refs.put(p, ref.get());
        boolean cachedByDigest = cache.isPresent() && !ref.get().digest().isEmpty()
            && cache.get().get(ref.get().digest(), "", "", source.today()).isPresent();
        resolving.put(p, cachedByDigest ? done(new Outcome<>(ref.get().digest(), null))
            : pool.submit(attempt(() -> source.resolve(p.client(), ref.get()))));
      }
      Map<Pull, Outcome<String>> digests = new LinkedHashMap<>();
      for (Map.Entry<Pull, Future<Outcome<String>>> e : resolving.entrySet()) {
        digests.put(e.getKey(), get(e.getValue()));
      }
      // 2. each distinct digest read once, from the cache when it is there
      Map<String, Future<Outcome<ImageCache.Entry>>> reading = new LinkedHashMap<>();
      for (Map.Entry<Pull, Outcome<String>> e : digests.entrySet()) {
        String digest = e.getValue().value();
        if (digest != null && !reading.containsKey(digest)) {
          Pull p = e.getKey();
          ImageRef r = refs.get(p);
          ImageRef pinned = new ImageRef(r.registry(), r.repository(), r.tag(), digest);
          reading.put(digest, pool.submit(attempt(() -> fetch(p, pinned))));
        }
      }
      Map<String, Outcome<ImageCache.Entry>> images = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Outcome<ImageCache.Entry>>> e : reading.entrySet()) {
        images.put(e.getKey(), get(e.getValue()));
      }
      // 3. facts, uses and errors, in the workloads' order
      Map<String, ImageFact> named = new LinkedHashMap<>();
      List<ImageUse> uses = new ArrayList<>();
      List<Diagnostic> errors = new ArrayList<>();
      List<String> problemsTold = new ArrayList<>();
      for (Map.Entry<Pull, List<Wanted>> e : byPull.entrySet()) {
        Pull p = e.getKey();
        Outcome<String> d = digests.get(p);
        Outcome<ImageCache.Entry> read = d.value() == null ? new Outcome<>(null, d.error()) : images.get(d.value());
        for (Wanted w : e.getValue()) {
          if (read.value() == null) {
            errors.add(w.error(p.reference().isEmpty() ? "\"\"" : p.reference(), read.error()));
            continue;
          }
          ImageFact fact = named.computeIfAbsent(p.reference(),
              name -> read.value().image().named(name, refs.get(p).display()));
          uses.add(new ImageUse(fact, w.container()));
          if (!problemsTold.contains(d.value())) {
            problemsTold.add(d.value());
            read.value().problems().forEach(problem -> errors.add(w.error(p.reference(), problem)));
          }
        }
      }
      return new Result(List.copyOf(named.values()), uses, errors);
    } finally {
      pool.shutdownNow();
    }
  }

  private ImageCache.Entry fetch(Pull p, ImageRef pinned) throws ImageError {
    if (cache.isPresent()) {
      Optional<ImageCache.Entry> hit = cache.get().get(pinned.digest(), p.reference(), pinned.display(), source.today());
      if (hit.isPresent()) {
        progress.accept("image " + p.reference() + " (" + short12(pinned.digest()) + "): from the cache");
        return hit.get();
      }
    }
    long start = System.nanoTime();
    progress.accept("image " + p.reference() + " (" + short12(pinned.digest()) + "): pulling");
    ImageSource.Result r = source.read(p.client(), pinned, p.reference());
    ImageFact image = r.image().orElseThrow();
    long bytes = image.layers().stream().mapToLong(Layer::size).sum();
    int layers = image.layers().size();
    progress.accept(String.format("image %s (%s): %d layer%s, %.1f MiB in %.1f s", p.reference(),
        short12(pinned.digest()), layers, layers == 1 ? "" : "s", bytes / 1048576.0, (System.nanoTime() - start) / 1e9));
    cache.ifPresent(c -> c.put(image, r.problems()));
    return new ImageCache.Entry(image, r.problems());
  }

  private static String short12(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }

  private interface Step<T> {
    T run() throws ImageError;
  }

  private static <T> Callable<Outcome<T>> attempt(Step<T> step) {
    return () -> {
      try {
        return new Outcome<>(step.run(), null);
      } catch (ImageError e) {
        return new Outcome<>(null, e.getMessage());
      } catch (RuntimeException e) {
        return new Outcome<>(null, "cannot read: " + e);
      }
    };
  }

  private static <T> Future<T> done(T value) {
    return java.util.concurrent.CompletableFuture.completedFuture(value);
  }

  private static <T> Outcome<T> get(Future<Outcome<T>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      return new Outcome<>(null, "cannot read: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome<>(null, "interrupted");
    }
  }
}

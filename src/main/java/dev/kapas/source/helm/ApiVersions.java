package dev.kapas.source.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code .Capabilities.APIVersions}: the built-in group/versions and {@code group/version/Kind}
 * entries a Kubernetes version serves by default (from {@code dev/kapas/data/kubernetes-apis.txt}),
 * plus those the user adds with {@code --api-versions}, as {@code helm template -a} does.
 */
public final class ApiVersions {
  private static final String TABLE = "/dev/kapas/data/kubernetes-apis.txt";

  /** One line of the table: a group/version serving {@code kinds} from one minor until another (exclusive). */
  private record Span(String groupVersion, int from, int until, List<String> kinds) {}

  private static final List<Span> SPANS = load();

  private ApiVersions() {}

  /**
   * Every entry for {@code kubeVersion} (as Helm spells it, {@code v1.30.0}) and the {@code extra}
   * ones, sorted. A version past 1.x gets what the newest 1.x still serves.
   */
  public static List<String> served(String kubeVersion, Collection<String> extra) {
    int minor = minor(kubeVersion).orElse(Integer.MAX_VALUE - 1);
    TreeSet<String> out = new TreeSet<>(extra);
    for (Span s : SPANS) {
      if (s.from() <= minor && minor < s.until()) {
        out.add(s.groupVersion());
        s.kinds().forEach(k -> out.add(s.groupVersion() + "/" + k));
      }
    }
    return List.copyOf(out);
  }

  /** The minor of a {@code 1.N} version; empty for another major. */
  private static Optional<Integer> minor(String version) {
    return KubeVersions.parse(version).filter(v -> v.startsWith("v1."))
        .map(v -> Integer.parseInt(v.substring(3, v.indexOf('.', 3))));
  }

  private static List<Span> load() {
    try (InputStream in = ApiVersions.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in API table " + TABLE + " is missing");
      }
      List<Span> spans = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        spans.add(new Span(f[0], minorOf(f[1]), f[2].equals("-") ? Integer.MAX_VALUE : minorOf(f[2]),
            List.of(f).subList(3, f.length)));
      }
      return List.copyOf(spans);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int minorOf(String oneDotN) {
    return Integer.parseInt(oneDotN.substring(oneDotN.indexOf('.') + 1));
  }
}

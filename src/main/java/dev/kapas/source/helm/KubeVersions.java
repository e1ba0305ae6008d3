package dev.kapas.source.helm;

import dev.kapas.source.cluster.ReleaseData;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kubernetes version charts are rendered for ({@code .Capabilities.KubeVersion}). */
public final class KubeVersions {
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  private KubeVersions() {}

  /** The newest minor kapas' release data knows, as {@code v1.N.0}. */
  public static String newest() {
    List<ReleaseData.Minor> minors = ReleaseData.builtIn().minors();
    ReleaseData.Minor last = minors.get(minors.size() - 1);
    return "v" + last.major() + "." + last.minor() + ".0";
  }

  /** {@code 1.30}, {@code v1.30} or {@code 1.30.2} as Helm spells a version ({@code v1.30.2}); empty if none. */
  public static Optional<String> parse(String text) {
    Matcher m = VERSION.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of("v" + Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2)) + "."
        + (m.group(3) == null ? "0" : Integer.parseInt(m.group(3))));
  }
}

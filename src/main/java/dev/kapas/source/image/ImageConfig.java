package dev.kapas.source.image;

import java.util.List;
import java.util.Map;

/**
 * What an image's config says about how it runs.
 *
 * @param user {@code config.User} as written (empty: root)
 * @param env {@code config.Env}, {@code NAME=value} each
 * @param exposedPorts {@code config.ExposedPorts} keys, such as {@code 22/tcp}
 * @param history each {@code history[].created_by}, oldest first (empty entries kept, so indexes match)
 * @param labels {@code config.Labels}
 */
public record ImageConfig(String user, List<String> env, List<String> exposedPorts, List<String> history,
    Map<String, String> labels) {

  public ImageConfig {
    env = List.copyOf(env);
    exposedPorts = List.copyOf(exposedPorts);
    history = List.copyOf(history);
    labels = Map.copyOf(labels);
  }
}

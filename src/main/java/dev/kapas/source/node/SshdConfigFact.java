package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The global settings of the node's sshd_config (before any {@code Match} block, with
 * {@code Include}d files in place): keyword (lower case) to its first value, as sshd takes the
 * first value it reads. {@code name} is the file as the node knows it, without the leading slash.
 */
public record SshdConfigFact(String file, String name, Map<String, Setting> settings) implements Fact {

  public SshdConfigFact {
    settings = Map.copyOf(settings);
  }

  /** A keyword's value and where it was written. */
  public record Setting(String keyword, String value, Location at) {}

  public Optional<Setting> get(String keyword) {
    return Optional.ofNullable(settings.get(keyword.toLowerCase(Locale.ROOT)));
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "SshdConfig", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(file, 0, 0, 0);
  }
}

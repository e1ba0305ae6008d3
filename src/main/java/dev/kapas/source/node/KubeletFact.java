package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;

/**
 * The kubelet's effective settings: its command-line flags merged over its config file
 * (KubeletConfiguration), flags winning as in the kubelet. A setting set nowhere takes the
 * config file's default when a config file is used, else the flag's default — the two differ
 * (anonymous auth, authorization mode and the read-only port are open by flag default, closed by
 * config default).
 *
 * @param flags the kubelet's command line: its process's, else the one its systemd unit would start (empty when neither)
 * @param source {@code process 1234}, {@code systemd unit} when no process runs, or {@code config file} when only the file was found
 * @param config the config file's root ({@code MapNode} without entries when there is none)
 * @param configFile the config file as read; empty when there is none
 * @param anchor where a finding about a setting left at its default points
 */
public record KubeletFact(Flags flags, String source, MapNode config, String configFile, Location anchor)
    implements Fact {

  /** A setting's effective value, where it came from, and where to point a finding about it. */
  public record Setting(String value, String from, Location at) {
    public boolean isTrue() {
      return value.trim().equalsIgnoreCase("true");
    }
  }

  public boolean hasConfigFile() {
    return !configFile.isEmpty();
  }

  /**
   * The setting behind {@code flag} and the config key {@code path} (dotted), given the config
   * file's default {@code configDefault}.
   */
  public Setting setting(String flag, String path, String configDefault) {
    var f = flags.get(flag);
    if (f.isPresent()) {
      return new Setting(f.get().value(), "flag --" + flag, f.get().at());
    }
    if (hasConfigFile()) {
      Node n = config.path(path.split("\\."));
      if (n.isPresent() && !n.isNull()) {
        String text = n.text().orElse(n.items().isEmpty() ? "" : String.join(",", n.items().stream()
            .map(i -> i.textOr("")).toList()));
        return new Setting(text, configFile + " " + path, new Location(configFile, n.line(), n.column(), path));
      }
      return new Setting(configDefault, "not set in " + configFile + ", so the config file's default",
          new Location(configFile, config.line(), config.column(), path));
    }
    return new Setting(flags.value(flag), "--" + flag + " not set and no config file, so the flag's default",
        new Location(anchor.file(), anchor.line(), anchor.column(), "--" + flag));
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Kubelet", "", "kubelet (" + source + ")");
  }

  @Override
  public Origin origin() {
    return new Origin(anchor.file(), 0, anchor.line(), anchor.column());
  }
}

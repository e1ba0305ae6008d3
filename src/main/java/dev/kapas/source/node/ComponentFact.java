package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;

/**
 * How one control-plane component is started: its flags, from a static pod manifest, a running
 * process's command line, or a mirror pod read from a cluster.
 *
 * @param flags the parsed command line
 * @param source where the command line was read, for messages: {@code static pod manifest},
 *     {@code process 1234}, {@code mirror pod kube-system/kube-apiserver-cp1}
 * @param name names the fact: the component ({@code kube-apiserver}) for a static pod manifest,
 *     {@code kube-apiserver pid 1234} for a process, the pod ({@code kube-system/kube-apiserver-cp1})
 *     for a mirror pod
 * @param anchor where a finding about a missing flag points: the manifest's {@code command:} line,
 *     or the process's {@code cmdline} file
 * @param derivedFrom the key of the mirror pod the flags were read from; empty for a static pod
 *     manifest or a process
 */
public record ComponentFact(Flags flags, String source, String name, Location anchor, String derivedFrom)
    implements Fact {

  public ComponentFact(Flags flags, String source, String name, Location anchor) {
    this(flags, source, name, anchor, "");
  }

  public Component component() {
    return flags.component();
  }

  /** Where {@code flag} was set, else where it would go. */
  public Location at(String flag) {
    return flags.get(flag).map(Flag::at).orElse(new Location(anchor.file(), anchor.line(), anchor.column(), "--" + flag));
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Component", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(anchor.file(), 0, anchor.line(), anchor.column());
  }
}

package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import java.util.List;

/**
 * The audit Policy the API server's {@code --audit-policy-file} points at.
 *
 * @param declared the path as the flag gives it (how the API server fact finds it)
 * @param file as read
 * @param name the file as the node knows it, without the leading slash
 * @param levels each rule's level, in order, with its line
 * @param at the policy's first line
 */
public record AuditPolicyFact(String declared, String file, String name, List<Level> levels, Location at) implements Fact {

  public AuditPolicyFact {
    levels = List.copyOf(levels);
  }

  /** One rule's {@code level}. */
  public record Level(String level, Location at) {}

  /** Whether some rule logs at Metadata level or above. */
  public boolean logsAnything() {
    return levels.stream().anyMatch(l -> List.of("Metadata", "Request", "RequestResponse").contains(l.level()));
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("audit.k8s.io/v1", "Policy", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(file, 1, at.line(), at.column());
  }
}

package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.model.Finding;
import dev.kapas.model.Location;
import dev.kapas.source.node.NodeFile;
import java.util.List;

/**
 * A rule about the mode and owner of node files of some roles: the mode may not grant more than
 * {@link #widest()} (0600 unless overridden; as {@code stat}'s bits, the way kube-bench's bitmask compares), and the owner
 * must be one {@link #ownerOk(NodeFile)} accepts (root:root unless overridden).
 */
abstract class NodeFileRule implements FactRule<NodeFile> {

  abstract List<NodeFile.Role> roles();

  /** The widest mode allowed. */
  int widest() {
    return 0600;
  }

  boolean ownerOk(NodeFile file) {
    return file.ownedByRoot();
  }

  /** How the accepted owner reads in a message. */
  String expectedOwner() {
    return "root:root";
  }

  @Override
  public final Class<NodeFile> type() {
    return NodeFile.class;
  }

  @Override
  public final boolean appliesTo(NodeFile file) {
    return roles().contains(file.role());
  }

  /** The file-permission controls of CIS alternate: an odd last number is about the mode, an even one about the owner. */
  @Override
  public boolean fails(Finding finding, String control) {
    int last = Integer.parseInt(control.substring(control.lastIndexOf('.') + 1));
    return finding.location().path().equals(last % 2 == 1 ? "mode" : "owner");
  }

  @Override
  public void check(NodeFile file, RuleContext ctx) {
    checkMode(file, ctx);
    checkOwner(file, ctx);
  }

  final void checkMode(NodeFile file, RuleContext ctx) {
    if ((file.mode() & ~widest()) != 0) {
      ctx.fail(new Location(file.path(), 0, 0, "mode"), file.what() + " " + file.path() + " has mode "
          + file.modeText() + ", wider than " + String.format("%04o", widest()));
    }
  }

  final void checkOwner(NodeFile file, RuleContext ctx) {
    if (!ownerOk(file)) {
      ctx.fail(new Location(file.path(), 0, 0, "owner"), file.what() + " " + file.path() + " is owned by "
          + file.owner() + ", not " + expectedOwner());
    }
  }
}

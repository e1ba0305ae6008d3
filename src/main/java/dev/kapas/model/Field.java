package dev.kapas.model;

/**
 * A value together with the field path it was found at (e.g.
 * {@code spec.template.spec.containers[0].securityContext.privileged}). The node may be missing:
 * then the path says where the field would go, and the line and column are those of the deepest
 * part of the path that does exist, so a finding about a missing field still points somewhere
 * useful.
 */
public record Field(Node node, String path, int line, int column) {

  /** The root of an object's tree, with the empty path. */
  public static Field root(Node node) {
    return new Field(node, "", node.line(), node.column());
  }

  public Field get(String key) {
    return child(node.get(key), path.isEmpty() ? key : path + "." + key);
  }

  public Field get(int index) {
    return child(node.get(index), path + "[" + index + "]");
  }

  private Field child(Node child, String childPath) {
    return child.isPresent()
        ? new Field(child, childPath, child.line(), child.column())
        : new Field(child, childPath, line, column);
  }

  public Field path(String... keys) {
    Field f = this;
    for (String k : keys) {
      f = f.get(k);
    }
    return f;
  }

  public boolean isPresent() {
    return node.isPresent();
  }

  public boolean isMissing() {
    return node.isMissing();
  }
}

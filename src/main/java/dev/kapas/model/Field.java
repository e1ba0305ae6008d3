package dev.kapas.model;

/**
 * A value together with the field path it was found at (e.g.
 * {@code spec.template.spec.containers[0].securityContext.privileged}). The node may be missing:
 * then the path says where the field would go, and the line and column are those of the deepest
 * part of the path that does exist, so a finding about a missing field still points somewhere
 * useful.
 */
public final class Field {
  private final Node node;
  private final int line;
  private final int column;
  /** Where this field hangs: its parent and its key (or index when the key is null). */
  private final Field parent;
  private final String key;
  private final int index;
  /** Built on first use: most fields are looked at and never reported. */
  private String path;

  private Field(Node node, int line, int column, Field parent, String key, int index, String path) {
    this.node = node;
    this.line = line;
    this.column = column;
    this.parent = parent;
    this.key = key;
    this.index = index;
    this.path = path;
  }

  /** The root of an object's tree, with the empty path. */
  public static Field root(Node node) {
    return new Field(node, node.line(), node.column(), null, null, 0, "");
  }

  public Node node() {
    return node;
  }

  /** The field this one hangs from; null for the root. */
  Field parent() {
    return parent;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The field path, such as {@code spec.containers[0].image}. */
  public String path() {
    if (path == null) {
      String up = parent.path();
      path = key == null ? up + "[" + index + "]" : up.isEmpty() ? key : up + "." + key;
    }
    return path;
  }

  public Field get(String key) {
    return child(node.get(key), key, 0);
  }

  public Field get(int index) {
    return child(node.get(index), null, index);
  }

  private Field child(Node child, String childKey, int childIndex) {
    return child.isPresent()
        ? new Field(child, child.line(), child.column(), this, childKey, childIndex, null)
        : new Field(child, line, column, this, childKey, childIndex, null);
  }

  @Override
  public String toString() {
    return path() + "@" + line + ":" + column;
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

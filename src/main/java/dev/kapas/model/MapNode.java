package dev.kapas.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A YAML mapping or JSON object with string keys, in document order. Kept as two arrays because
 * Kubernetes maps are small and there are millions of them in a large scan.
 */
public final class MapNode implements Node {
  private final String[] keys;
  private final Node[] values;
  private final long position;

  public MapNode(List<String> keys, List<Node> values, int line, int column) {
    this(new Keys(keys), values, line, column);
  }

  /** A map whose key array is shared with other maps of the same keys (see {@link Keys}). */
  public MapNode(Keys keys, List<Node> values, int line, int column) {
    if (keys.keys.length != values.size()) {
      throw new IllegalArgumentException("keys and values differ in length");
    }
    this.keys = keys.keys;
    this.values = values.toArray(new Node[0]);
    this.position = Positions.pack(line, column);
  }

  /**
   * A sequence of map keys that many maps can share: in a large scan most maps repeat a few key
   * sets (every container's {@code resources}, every port), and a reader that hands the same
   * {@code Keys} to all of them saves an array per map. Immutable, so safe to share.
   */
  public static final class Keys {
    private final String[] keys;

    public Keys(List<String> keys) {
      this.keys = keys.toArray(new String[0]);
    }

    /** True when these are exactly {@code other}, in order. */
    public boolean sameAs(List<String> other) {
      if (other.size() != keys.length) {
        return false;
      }
      for (int i = 0; i < keys.length; i++) {
        if (!keys[i].equals(other.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public int line() {
    return Positions.line(position);
  }

  @Override
  public int column() {
    return Positions.column(position);
  }

  @Override
  public Node get(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return values[i];
      }
    }
    return Missing.INSTANCE;
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** The position of {@code key} among the keys, or -1. */
  public int indexOf(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** The value at a position of {@link #keys()}. */
  public Node valueAt(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public Optional<MapNode> asMap() {
    return Optional.of(this);
  }

  public List<String> keys() {
    return Collections.unmodifiableList(java.util.Arrays.asList(keys));
  }

  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      out.add(new Entry(keys[i], values[i]));
    }
    return out;
  }

  /** One key and its value; the value's position is the key's. */
  public record Entry(String key, Node value) {}
}

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
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keys and values differ in length");
    }
    this.keys = keys.toArray(new String[0]);
    this.values = values.toArray(new Node[0]);
    this.position = Positions.pack(line, column);
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

package dev.kapas.model;

import java.util.List;

/** A YAML sequence or JSON array. */
public final class ListNode implements Node {
  private final List<Node> items;
  private final long position;

  public ListNode(List<Node> items, int line, int column) {
    this.items = List.copyOf(items);
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
  public Node get(int index) {
    return index >= 0 && index < items.size() ? items.get(index) : Missing.INSTANCE;
  }

  @Override
  public List<Node> items() {
    return items;
  }

  @Override
  public int size() {
    return items.size();
  }
}

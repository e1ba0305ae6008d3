package dev.kapas.source.manifest;

import dev.kapas.model.Node;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a {@link YamlTreeReader} delivers, for tests. */
final class CollectingSink implements YamlTreeReader.Sink {
  final List<Node> roots = new ArrayList<>();
  final List<String> errors = new ArrayList<>();

  /** Reads {@code yaml} with the default limits. */
  static CollectingSink read(String yaml) {
    CollectingSink sink = new CollectingSink();
    new YamlTreeReader(YamlTreeReader.Limits.DEFAULT).read(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8, sink);
    return sink;
  }

  @Override
  public void document(int index, Node root) {
    roots.add(root);
  }

  /** Recorded as {@code line:column message}. */
  @Override
  public void error(int line, int column, String message) {
    errors.add(line + ":" + column + " " + message);
  }
}

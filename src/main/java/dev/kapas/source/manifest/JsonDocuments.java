package dev.kapas.source.manifest;

import dev.kapas.model.Node;
import java.util.Optional;

/**
 * JSON documents that are not files, such as Kubernetes API responses, read into the same trees
 * as manifests (with the same string sharing), without positions: every node is at line 0.
 * Thread-safe; one instance serves all the reading threads of a scan.
 */
public final class JsonDocuments {
  private final JsonTreeReader reader;

  public JsonDocuments(YamlTreeReader.Limits limits) {
    this.reader = new JsonTreeReader(limits, new YamlTreeReader.StringCache(), new YamlTreeReader.KeyCache(), false);
  }

  /** The document's map or list; empty when it is not one clean JSON value (invalid, duplicate keys, too deep). */
  public Optional<Node> read(byte[] json) {
    return reader.read(json);
  }
}

package dev.kapas.source.cluster;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.model.KubeObject;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Missing;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes what {@code kapas cluster} read as one JSON {@code kind: List}, one item per line, so
 * {@code kapas scan FILE} re-scans it offline. It holds exactly the trees the rules saw: Secrets
 * are metadata only (never a value), managedFields are gone. Values that hold a credential can be
 * replaced: {@code redactions} maps an object's {@link KubeObject#key()} to field paths (as findings
 * name them: {@code spec.containers[0].env[1].value}) and what to write there instead.
 */
public final class Snapshot {
  private Snapshot() {}

  public static void write(List<KubeObject> objects, Path file) throws IOException {
    write(objects, file, Map.of());
  }

  public static void write(List<KubeObject> objects, Path file, Map<String, Map<String, String>> redactions)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("apiVersion", "v1");
      g.writeStringField("kind", "List");
      g.writeFieldName("items");
      g.writeStartArray();
      for (KubeObject o : objects) {
        g.writeRaw('\n');
        node(g, o.root(), "", redactions.getOrDefault(o.key(), Map.of()));
      }
      g.writeRaw('\n');
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private static void node(JsonGenerator g, Node n, String path, Map<String, String> redact) throws IOException {
    String replacement = redact.isEmpty() ? null : redact.get(path);
    if (replacement != null && n instanceof ScalarNode) {
      g.writeString(replacement);
    } else if (n instanceof MapNode map) {
      g.writeStartObject();
      for (MapNode.Entry e : map.entries()) {
        g.writeFieldName(e.key());
        node(g, e.value(), redact.isEmpty() ? "" : path.isEmpty() ? e.key() : path + "." + e.key(), redact);
      }
      g.writeEndObject();
    } else if (n instanceof ListNode list) {
      g.writeStartArray();
      List<Node> items = list.items();
      for (int i = 0; i < items.size(); i++) {
        node(g, items.get(i), redact.isEmpty() ? "" : path + "[" + i + "]", redact);
      }
      g.writeEndArray();
    } else if (n instanceof ScalarNode s) {
      scalar(g, s);
    } else if (n instanceof Missing) {
      g.writeNull();
    }
  }

  /** Plain scalars came from JSON numbers, booleans and null, and go back as such. */
  private static void scalar(JsonGenerator g, ScalarNode s) throws IOException {
    String v = s.value();
    if (!s.plain()) {
      g.writeString(v);
    } else if (v.equals("true") || v.equals("false")) {
      g.writeBoolean(v.equals("true"));
    } else if (v.equals("null") || s.isNull()) {
      g.writeNull();
    } else if (v.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      g.writeNumber(v);
    } else {
      g.writeString(v);
    }
  }
}

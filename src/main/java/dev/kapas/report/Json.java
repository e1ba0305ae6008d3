package dev.kapas.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.model.Layer;
import dev.kapas.model.ObjectRef;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Optional;

/** The JSON formats share one generator setup: pretty, and leaving the caller's writer open. */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  static JsonGenerator generator(Writer out) throws IOException {
    return setUp(FACTORY.createGenerator(out));
  }

  /** A generator that encodes UTF-8 itself, for report files. */
  static JsonGenerator generator(OutputStream out) throws IOException {
    return setUp(FACTORY.createGenerator(out, JsonEncoding.UTF8));
  }

  private static JsonGenerator setUp(JsonGenerator g) {
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.useDefaultPrettyPrinter();
    return g;
  }

  /** {@code "score": {"overall": …, "<layer>": …}}, only the layers that had checks. */
  static void writeScore(JsonGenerator g, ScanReport report) throws IOException {
    g.writeObjectFieldStart("score");
    Optional<Double> overall = report.scores().overall();
    if (overall.isPresent()) {
      g.writeNumberField("overall", overall.get());
    } else {
      g.writeNullField("overall");
    }
    for (Layer layer : Layer.values()) {
      Double s = report.scores().byLayer().get(layer);
      if (s != null) {
        g.writeNumberField(layer.label(), s);
      }
    }
    g.writeEndObject();
  }

  /** {@code "object": {"apiVersion", "kind", "namespace", "name"}}. */
  static void writeObject(JsonGenerator g, ObjectRef object) throws IOException {
    g.writeObjectFieldStart("object");
    g.writeStringField("apiVersion", object.apiVersion());
    g.writeStringField("kind", object.kind());
    g.writeStringField("namespace", object.namespace());
    g.writeStringField("name", object.name());
    g.writeEndObject();
  }
}

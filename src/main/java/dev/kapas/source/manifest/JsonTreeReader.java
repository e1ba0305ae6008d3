package dev.kapas.source.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A fast path for {@code .json} files (what {@code kubectl get -o json} writes): Jackson reads
 * them several times faster than the YAML parser. It builds the very tree {@link YamlTreeReader}
 * would, and only for clean input: anything else (invalid JSON, duplicate or {@code <<} keys,
 * a limit reached, a scalar root, more than one value) gives up, and the file is read as YAML,
 * which reports what is wrong exactly as for any other file. Columns count UTF-16 units where
 * the YAML reader counts code points: they differ only after a non-BMP character on a line.
 */
final class JsonTreeReader {
  private final YamlTreeReader.Limits limits;
  private final YamlTreeReader.StringCache strings;
  private final YamlTreeReader.KeyCache keyCache;
  private final JsonFactory factory = new JsonFactory();
  private final boolean positions;

  JsonTreeReader(YamlTreeReader.Limits limits, YamlTreeReader.StringCache strings,
      YamlTreeReader.KeyCache keyCache) {
    this(limits, strings, keyCache, true);
  }

  /** {@code positions} false: every node at line 0, column 0 (input that is not a file, such as an API response). */
  JsonTreeReader(YamlTreeReader.Limits limits, YamlTreeReader.StringCache strings,
      YamlTreeReader.KeyCache keyCache, boolean positions) {
    this.limits = limits;
    this.strings = strings;
    this.keyCache = keyCache;
    this.positions = positions;
  }

  /** One JSON document held in memory (no size limit: the caller chose to hold it). */
  Optional<Node> read(byte[] json) {
    try (JsonParser parser = factory.createParser(json)) {
      return Optional.ofNullable(root(parser));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The file's one map or list, or empty when the YAML reader should read it instead. */
  Optional<Node> read(Path file) {
    try {
      if (Files.size(file) > limits.maxDocumentCodePoints()) {
        return Optional.empty();
      }
      Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));
      try (JsonParser parser = factory.createParser(reader)) {
        return Optional.ofNullable(root(parser));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Null to give up. */
  private Node root(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
      return null;
    }
    Deque<Frame> stack = new ArrayDeque<>();
    JsonToken t = first;
    while (true) {
      Frame top = stack.peek();
      switch (t) {
        case FIELD_NAME -> {
          String key = p.currentName();
          if (key.equals("<<") || top.keys.contains(key)) {
            return null;
          }
          top.pendingKey = key;
          if (positions) {
            JsonLocation at = p.currentTokenLocation();
            top.keyLine = at.getLineNr();
            top.keyColumn = at.getColumnNr();
          }
        }
        case START_OBJECT, START_ARRAY -> {
          if (stack.size() >= limits.maxDepth()) {
            return null;
          }
          Frame frame = new Frame(t == JsonToken.START_OBJECT);
          position(top, p, frame);
          stack.push(frame);
        }
        case END_OBJECT, END_ARRAY -> {
          Frame done = stack.pop();
          Node node = done.isMap
              ? new MapNode(keyCache.share(done.keys), done.values, done.line, done.column)
              : new ListNode(done.values, done.line, done.column);
          if (stack.isEmpty()) {
            return p.nextToken() == null ? node : null;
          }
          stack.peek().add(node);
        }
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
          String text = p.getText();
          if (text.length() > limits.maxScalarChars()) {
            return null;
          }
          boolean plain = t != JsonToken.VALUE_STRING;
          if (top.isMap) {
            top.add(new ScalarNode(strings.dedupe(text), plain, top.keyLine, top.keyColumn));
          } else if (!positions) {
            top.add(new ScalarNode(strings.dedupe(text), plain, 0, 0));
          } else {
            JsonLocation at = p.currentTokenLocation();
            top.add(new ScalarNode(strings.dedupe(text), plain, at.getLineNr(), at.getColumnNr()));
          }
        }
        default -> {
          return null;
        }
      }
      t = p.nextToken();
      if (t == null) {
        return null;
      }
    }
  }

  /** As in the YAML reader: a map's value is where its key is, anything else where it starts. */
  private void position(Frame parent, JsonParser p, Frame into) {
    if (!positions) {
      return;
    }
    if (parent != null && parent.isMap) {
      into.line = parent.keyLine;
      into.column = parent.keyColumn;
    } else {
      JsonLocation at = p.currentTokenLocation();
      into.line = at.getLineNr();
      into.column = at.getColumnNr();
    }
  }

  /** An object or array being read. */
  private final class Frame {
    final boolean isMap;
    final List<String> keys = new ArrayList<>();
    final List<Node> values = new ArrayList<>();
    int line;
    int column;
    String pendingKey;
    int keyLine;
    int keyColumn;

    Frame(boolean isMap) {
      this.isMap = isMap;
    }

    void add(Node value) {
      if (isMap) {
        keys.add(strings.dedupe(pendingKey));
        pendingKey = null;
      }
      values.add(value);
    }
  }
}

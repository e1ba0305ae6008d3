package dev.kapas.source.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
      return Optional.of(root(parser, false));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The file's one map or list, or empty when the YAML reader should read it instead. A file
   * larger than the document limit is read when it is a List ({@code kubectl get -A -o json}
   * writes one of 300 MB for 100,000 objects): the limit then bounds each item, and what is
   * outside the items, rather than the whole, as for a large YAML List.
   */
  Optional<Node> read(InputStream file, long size) {
    try {
      boolean large = size > limits.maxDocumentCodePoints();
      Reader reader = new InputStreamReader(file, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));
      try (JsonParser parser = factory.createParser(reader)) {
        return Optional.of(root(parser, large));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * JSON on stdin too large to hold for the YAML reader to read again (see {@link #read(InputStream, long)}):
   * its one List, or an error saying where and why it cannot be read.
   */
  void readLarge(InputStream in, YamlTreeReader.Sink sink) {
    try (JsonParser parser = factory.createParser(in)) {
      sink.document(1, root(parser, true));
    } catch (GiveUp e) {
      sink.error(e.line, e.column, e.getMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      sink.error(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      sink.error(0, 0, "cannot read: " + e.getMessage());
    }
  }

  /** Why the text is left to the YAML reader, and where. */
  private static final class GiveUp extends RuntimeException {
    final int line;
    final int column;

    GiveUp(JsonParser p, String reason) {
      super(reason, null, false, false);
      JsonLocation at = p.currentTokenLocation();
      this.line = at.getLineNr();
      this.column = at.getColumnNr();
    }
  }

  /** Throws {@link GiveUp} to give up. {@code large}: the text is larger than the document limit (see {@link #read(InputStream, long)}). */
  private Node root(JsonParser p, boolean large) throws IOException {
    long itemChars = 0;
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
      throw new GiveUp(p, "not a JSON object or array");
    }
    Deque<Frame> stack = new ArrayDeque<>();
    JsonToken t = first;
    while (true) {
      Frame top = stack.peek();
      switch (t) {
        case FIELD_NAME -> {
          String key = p.currentName();
          if (key.equals("<<") || top.keys.contains(key)) {
            throw new GiveUp(p, key.equals("<<") ? "a `<<` key, which YAML reads as a merge" : "duplicate key `" + key + "`");
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
            throw new GiveUp(p, "nested more than " + limits.maxDepth() + " levels deep");
          }
          Frame frame = new Frame(t == JsonToken.START_OBJECT);
          position(top, p, frame);
          if (large && stack.size() == 1 && top.isMap && !frame.isMap && "items".equals(top.pendingKey)) {
            frame.listItems = true;
          } else if (large && stack.size() == 2 && top.listItems) {
            frame.start = offset(p);
          }
          stack.push(frame);
        }
        case END_OBJECT, END_ARRAY -> {
          Frame done = stack.pop();
          if (large && done.start >= 0) {
            long chars = offset(p) + 1 - done.start;
            if (chars > limits.maxDocumentCodePoints()) {
              throw new GiveUp(p, "a List item is larger than the limit of " + limits.maxDocumentCodePoints() + " characters");
            }
            itemChars += chars;
          }
          if (large && stack.isEmpty()
              && offset(p) + 1 - itemChars > limits.maxDocumentCodePoints()) {
            throw new GiveUp(p, "a document is larger than the limit of " + limits.maxDocumentCodePoints()
                + " characters (only a List's items may add up to more)");
          }
          Node node = done.isMap
              ? new MapNode(keyCache.share(done.keys), done.values, done.line, done.column)
              : new ListNode(done.values, done.line, done.column);
          if (stack.isEmpty()) {
            if (p.nextToken() != null) {
              throw new GiveUp(p, "more than one JSON value");
            }
            return node;
          }
          stack.peek().add(node);
        }
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
          String text = p.getText();
          if (text.length() > limits.maxScalarChars()) {
            throw new GiveUp(p, "a value is longer than the limit of " + limits.maxScalarChars() + " characters");
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
        default -> throw new GiveUp(p, "unexpected " + t);
      }
      t = p.nextToken();
      if (t == null) {
        throw new GiveUp(p, "the JSON text ends inside a value");
      }
    }
  }

  /** Where the current token starts: in characters, or in bytes where the parser reads bytes. */
  private static long offset(JsonParser p) {
    JsonLocation at = p.currentTokenLocation();
    return at.getCharOffset() >= 0 ? at.getCharOffset() : at.getByteOffset();
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
    /** The root's {@code items} list, in a large text. */
    boolean listItems;
    /** Where one of those items starts (a char offset), in a large text; -1 for any other value. */
    long start = -1;
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

package dev.kapas.source.manifest;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a YAML (or JSON) stream into {@link Node} trees, one per document, straight from the
 * parser's events. Building the tree ourselves, without recursion, lets us keep every position,
 * bound depth, scalar size and alias expansion (hostile input must not take the JVM down), and
 * report duplicate keys, which Kubernetes rejects.
 */
public final class YamlTreeReader {

  /** Bounds for hostile input; every one is far above what a real manifest needs. */
  public record Limits(int maxDepth, int maxScalarChars, int maxDocumentCodePoints, int maxAliasedNodes) {
    public static final Limits DEFAULT = new Limits(512, 4 << 20, 64 << 20, 100_000);
  }

  /** Receives what the reader finds, in document order. */
  public interface Sink {
    /** A complete document; {@code root} is a null scalar for an empty document. */
    void document(int index, Node root);

    /** A problem at a 1-based line and column (0 when unknown). */
    void error(int line, int column, String message);
  }

  private static final String MERGE_KEY = "<<";
  private static final String STR_TAG = "tag:yaml.org,2002:str";

  /** Largest read buffer: see {@link #settings(int)}. */
  static final int MAX_BUFFER = 64 * 1024;

  private final Limits limits;
  private final LoadSettings settings;
  private final StringCache strings = new StringCache();
  private final KeyCache keyCache = new KeyCache();
  private final JsonTreeReader json;

  public YamlTreeReader(Limits limits) {
    this.limits = limits;
    this.settings = settings(MAX_BUFFER);
    this.json = new JsonTreeReader(limits, strings, keyCache);
  }

  /**
   * The scanner copies its window each time it refills it while one token is being read, so a
   * long token costs (length / buffer) copies of itself: a large buffer keeps the cost of a long
   * base64 line or a hostile scalar near linear. Small files get a buffer of their own size, as
   * zeroing 64 KiB buffers for a thousand small files costs more than parsing them.
   */
  private LoadSettings settings(int bufferSize) {
    return LoadSettings.builder()
        .setCodePointLimit(limits.maxDocumentCodePoints())
        .setAllowDuplicateKeys(true)
        .setBufferSize(bufferSize)
        .build();
  }

  /**
   * Reads a {@code .json} file through the JSON fast path; empty when the file must be read as
   * YAML instead (see {@link JsonTreeReader}).
   */
  Optional<Node> readJson(java.nio.file.Path file) {
    try (InputStream in = InputFile.open(file)) {
      return json.read(in, java.nio.file.Files.size(file));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  Limits limits() {
    return limits;
  }

  /** As {@link #readJson(java.nio.file.Path)}, for JSON held in memory (stdin). */
  Optional<Node> readJson(byte[] bytes) {
    return json.read(bytes);
  }

  /** JSON on stdin larger than the document limit: one List, or an error (see {@link JsonTreeReader}). */
  void readLargeJson(InputStream in, Sink sink) {
    json.readLarge(in, sink);
  }

  /**
   * Reads a UTF-8 file's bytes through the block-YAML fast path ({@link BlockYamlReader});
   * false, with nothing delivered, when the text must be read by {@link #read} instead.
   */
  boolean readBlock(byte[] bytes, Sink sink) {
    return readBlock(bytes, bytes.length, sink, Piece.WHOLE);
  }

  /**
   * Where a piece of a file starts: its first line's number, and how many documents came
   * before it (numbers of the documents it holds carry on from there).
   */
  record Piece(int firstLine, int documentsBefore) {
    static final Piece WHOLE = new Piece(1, 0);
  }

  /** As {@link #readBlock(byte[], Sink)}, for the first {@code size} bytes, a piece of a file. */
  boolean readBlock(byte[] bytes, int size, Sink sink, Piece piece) {
    char[] chars = new char[size];
    int length = 0;
    for (int i = 0; i < size; i++) {
      byte b = bytes[i];
      if (b < 0) {
        length = -1;
        break;
      }
      chars[length++] = (char) b;
    }
    if (length < 0) {
      try {
        java.nio.CharBuffer decoded = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes, 0, size));
        chars = decoded.array();
        length = decoded.limit();
      } catch (java.nio.charset.CharacterCodingException e) {
        return false;
      }
    }
    Optional<List<Node>> documents = new BlockYamlReader(limits.maxScalarChars(), strings, keyCache)
        .read(chars, length, piece.firstLine());
    if (documents.isEmpty()) {
      return false;
    }
    for (int i = 0; i < documents.get().size(); i++) {
      sink.document(piece.documentsBefore() + i + 1, documents.get().get(i));
    }
    return true;
  }

  /**
   * Reads every document of {@code reader}. A syntax error ends the stream (YAML parsers cannot
   * resynchronise) but the documents before it are delivered; an error inside one document
   * (duplicate key, limits) drops only that document or only that key.
   */
  public void read(InputStream in, Charset charset, Sink sink) {
    read(in, charset, sink, MAX_BUFFER);
  }

  /** As {@link #read(InputStream, Charset, Sink)}, for input of about {@code sizeHint} bytes. */
  public void read(InputStream in, Charset charset, Sink sink, long sizeHint) {
    read(in, charset, sink, sizeHint, Piece.WHOLE);
  }

  /**
   * As {@link #read(InputStream, Charset, Sink, long)}, for the rest of a file from {@code piece}
   * on: positions and document numbers are the file's.
   */
  void read(InputStream in, Charset charset, Sink sink, long sizeHint, Piece piece) {
    int lines = piece.firstLine() - 1;
    int buffer = (int) Math.max(1024, Math.min(MAX_BUFFER, sizeHint + 16));
    Iterator<Event> events = new Parse(buffer == MAX_BUFFER ? settings : settings(buffer))
        .parseReader(new GuardedReader(in, charset, limits.maxScalarChars(), buffer)).iterator();
    DocumentBuilder doc = null;
    int index = 0;
    try {
      while (events.hasNext()) {
        Event event = events.next();
        switch (event.getEventId()) {
          case DocumentStart -> doc = new DocumentBuilder(piece.documentsBefore() + ++index, sink, lines);
          case DocumentEnd -> {
            if (doc != null) {
              doc.finish();
            }
            doc = null;
          }
          case StreamStart, StreamEnd, Comment -> { }
          default -> {
            if (doc != null) {
              doc.accept(event);
            }
          }
        }
      }
    } catch (DocumentTooHostile e) {
      sink.error(e.line > 0 ? e.line + lines : 0, e.column, e.getMessage());
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      sink.error(mark.map(m -> m.getLine() + 1 + lines).orElse(0), mark.map(m -> m.getColumn() + 1).orElse(0),
          describe(e));
    } catch (YamlEngineException e) {
      if (e.getCause() instanceof GuardedReader.PositionedIOException p) {
        sink.error(p.line > 0 ? p.line + lines : 0, p.column, p.getMessage());
      } else if (e.getCause() instanceof InputFile.TooLong tooLong) {
        sink.error(0, 0, tooLong.getMessage());
      } else {
        sink.error(0, 0, causeMessage(e));
      }
    }
  }

  private static String describe(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    String text = context.isEmpty() ? problem : context + ": " + problem;
    return "invalid YAML: " + oneLine(text);
  }

  private String causeMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text (a binary file?)";
    }
    if (msg.contains("exceeds the limit")) {
      return "a document is larger than the limit of " + limits.maxDocumentCodePoints()
          + " characters; the rest of the file is not read";
    }
    return "cannot read YAML: " + oneLine(msg);
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /** Thrown to abandon the whole stream on input built to exhaust the scanner. */
  private static final class DocumentTooHostile extends RuntimeException {
    final int line;
    final int column;

    DocumentTooHostile(Event at, String message) {
      super(message, null, false, false);
      this.line = at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
      this.column = at.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
    }
  }

  /** Builds one document's tree from its events with an explicit stack. */
  private final class DocumentBuilder {
    private final int index;
    private final Sink sink;
    private final Deque<Collection> stack = new ArrayDeque<>();
    private final Map<String, Anchored> anchors = new HashMap<>();
    /** Lines of the file before the text the parser reads (a piece of a large file). */
    private final int linesBefore;
    private Node root;
    private long aliasedNodes;

    DocumentBuilder(int index, Sink sink, int linesBefore) {
      this.index = index;
      this.sink = sink;
      this.linesBefore = linesBefore;
    }

    /** 1-based line and column of where {@code event} starts, in the file. */
    private int[] mark(Event event) {
      int[] pos = YamlTreeReader.mark(event);
      if (pos[0] > 0) {
        pos[0] += linesBefore;
      }
      return pos;
    }

    void accept(Event event) {
      switch (event.getEventId()) {
        case Scalar -> {
          ScalarEvent s = (ScalarEvent) event;
          if (s.getValue().length() > limits.maxScalarChars()) {
            throw new DocumentTooHostile(event, "a scalar of " + s.getValue().length()
                + " characters is larger than the limit of " + limits.maxScalarChars());
          }
          boolean plain = s.isPlain() && !(s.getTag().isPresent() && STR_TAG.equals(s.getTag().get()));
          if (!stack.isEmpty() && stack.peek().expectsKey()) {
            stack.peek().key(s.getValue(), plain, mark(event));
            return;
          }
          int[] pos = positionFor(event);
          Node node = new ScalarNode(strings.dedupe(s.getValue()), plain, pos[0], pos[1]);
          remember(s, node, 1);
          add(node, 1);
        }
        case MappingStart, SequenceStart -> {
          if (!stack.isEmpty() && stack.peek().expectsKey()) {
            stack.peek().complexKey(event);
          }
          if (stack.size() >= limits.maxDepth()) {
            throw new DocumentTooHostile(event, "nesting deeper than " + limits.maxDepth() + " levels");
          }
          int[] pos = positionFor(event);
          boolean isMap = event.getEventId() == Event.ID.MappingStart;
          stack.push(new Collection(isMap, (NodeEvent) event, pos[0], pos[1]));
        }
        case MappingEnd, SequenceEnd -> {
          Collection done = stack.pop();
          Node node = done.build();
          remember(done.start, node, done.weight);
          add(node, done.weight);
        }
        case Alias -> {
          String anchor = ((AliasEvent) event).getAlias().getValue();
          Anchored target = anchors.get(anchor);
          if (target == null) {
            throw new DocumentTooHostile(event, "alias *" + anchor + " refers to no anchor");
          }
          aliasedNodes += target.weight;
          if (aliasedNodes > limits.maxAliasedNodes()) {
            throw new DocumentTooHostile(event, "aliases expand to more than " + limits.maxAliasedNodes()
                + " nodes (an alias bomb?)");
          }
          if (!stack.isEmpty() && stack.peek().expectsKey()) {
            stack.peek().aliasKey(target.node, event);
            return;
          }
          add(target.node, target.weight);
        }
        default -> { }
      }
    }

    /** Where a new value should say it is: its key's position inside a map, else its own. */
    private int[] positionFor(Event event) {
      if (!stack.isEmpty() && stack.peek().isMap && stack.peek().pendingKey != null) {
        return new int[] {stack.peek().keyLine, stack.peek().keyColumn};
      }
      return mark(event);
    }

    private void remember(NodeEvent event, Node node, long weight) {
      if (event.getAnchor().isPresent()) {
        anchors.put(event.getAnchor().get().getValue(), new Anchored(node, weight));
      }
    }

    private void add(Node node, long weight) {
      if (stack.isEmpty()) {
        root = node;
      } else {
        stack.peek().value(node, weight);
      }
    }

    void finish() {
      sink.document(index, root == null ? new ScalarNode("", true, 0, 0) : root);
    }

    /** A map or list under construction. */
    private final class Collection {
      final boolean isMap;
      final NodeEvent start;
      final int line;
      final int column;
      final List<String> keys = new ArrayList<>();
      final List<Node> values = new ArrayList<>();
      int[] keyLines = new int[8];
      /** Key to position, built once a map grows past a few keys, so big maps stay linear. */
      Map<String, Integer> index;
      String pendingKey;
      int keyLine;
      int keyColumn;
      Skip skip = Skip.NONE;
      long weight = 1;
      List<MapNode> merges = List.of();

      Collection(boolean isMap, NodeEvent start, int line, int column) {
        this.isMap = isMap;
        this.start = start;
        this.line = line;
        this.column = column;
      }

      boolean expectsKey() {
        return isMap && pendingKey == null && skip == Skip.NONE;
      }

      void key(String key, boolean plain, int[] pos) {
        pendingKey = plain && key.equals(MERGE_KEY) ? MERGE_KEY : key;
        keyLine = pos[0];
        keyColumn = pos[1];
      }

      void aliasKey(Node target, Event event) {
        if (target instanceof ScalarNode scalar) {
          key(scalar.value(), false, mark(event));
        } else {
          complexKey(event);
          skip = Skip.VALUE;
        }
      }

      void complexKey(Event event) {
        int[] pos = mark(event);
        sink.error(pos[0], pos[1], "a map key that is not a string is ignored, with its value");
        skip = Skip.KEY;
      }

      void value(Node node, long childWeight) {
        weight += childWeight;
        if (!isMap) {
          values.add(node);
          return;
        }
        if (skip != Skip.NONE) {
          skip = skip == Skip.KEY ? Skip.VALUE : Skip.NONE;
          return;
        }
        if (MERGE_KEY.equals(pendingKey)) {
          if (merges.isEmpty()) {
            merges = new ArrayList<>();
          }
          node.asMap().ifPresent(merges::add);
          node.items().forEach(item -> item.asMap().ifPresent(merges::add));
          pendingKey = null;
          return;
        }
        int existing = indexOf(pendingKey);
        if (existing >= 0) {
          sink.error(keyLine, keyColumn, "duplicate key `" + pendingKey + "` (first at line "
              + keyLines[existing] + "); the last value is used, as the API server would");
          keys.remove(existing);
          values.remove(existing);
          System.arraycopy(keyLines, existing + 1, keyLines, existing, keys.size() - existing);
          index = null;
        }
        if (keys.size() == keyLines.length) {
          keyLines = java.util.Arrays.copyOf(keyLines, keyLines.length * 2);
        }
        keyLines[keys.size()] = keyLine;
        add(pendingKey, node);
        pendingKey = null;
      }

      private int indexOf(String key) {
        if (index == null && keys.size() > SMALL_MAP) {
          index = new HashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            index.put(keys.get(i), i);
          }
        }
        return index == null ? keys.indexOf(key) : index.getOrDefault(key, -1);
      }

      private void add(String key, Node node) {
        if (index != null) {
          index.put(key, keys.size());
        }
        keys.add(strings.dedupe(key));
        values.add(node);
      }

      Node build() {
        if (!isMap) {
          return new ListNode(values, line, column);
        }
        for (MapNode merged : merges) {
          for (MapNode.Entry e : merged.entries()) {
            if (indexOf(e.key()) < 0) {
              add(e.key(), e.value());
            }
          }
        }
        return new MapNode(keyCache.share(keys), values, line, column);
      }
    }
  }

  private static final int SMALL_MAP = 16;

  private record Anchored(Node node, long weight) {}

  /**
   * Hands maps with the same keys in the same order one shared {@link MapNode.Keys}, like
   * {@link StringCache} for strings: direct-mapped, fixed-size, shared by the reading threads
   * without locks (Keys is immutable).
   */
  static final class KeyCache {
    private static final int SLOTS = 1 << 12;
    private final MapNode.Keys[] slots = new MapNode.Keys[SLOTS];

    MapNode.Keys share(List<String> keys) {
      int h = keys.hashCode();
      int slot = (h ^ (h >>> 12)) & (SLOTS - 1);
      MapNode.Keys cached = slots[slot];
      if (cached != null && cached.sameAs(keys)) {
        return cached;
      }
      MapNode.Keys fresh = new MapNode.Keys(keys);
      slots[slot] = fresh;
      return fresh;
    }
  }

  /**
   * Makes equal short strings one object: map keys, and values such as {@code TCP}, {@code
   * apps/v1} or an image name, repeat across thousands of objects, and a large scan keeps every
   * tree. Direct-mapped and fixed-size, so it costs nothing to keep and never grows; a collision
   * just replaces the slot. Shared by the reading threads without locks on purpose: a String is
   * immutable (final fields), so a slot read by another thread is either a complete string or a
   * miss.
   */
  static final class StringCache {
    private static final int SLOTS = 1 << 15;
    private static final int MAX_LENGTH = 64;
    private final String[] slots = new String[SLOTS];

    String dedupe(String s) {
      if (s.length() > MAX_LENGTH) {
        return s;
      }
      int h = s.hashCode();
      int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
      String cached = slots[slot];
      if (s.equals(cached)) {
        return cached;
      }
      slots[slot] = s;
      return s;
    }
  }

  /** Progress through a non-string key that is being dropped together with its value. */
  private enum Skip { NONE, KEY, VALUE }

  private static int[] mark(Event event) {
    Optional<Mark> mark = event.getStartMark();
    return mark.isPresent() ? new int[] {mark.get().getLine() + 1, mark.get().getColumn() + 1} : new int[2];
  }
}

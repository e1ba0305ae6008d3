package dev.kapas.source.manifest;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a large UTF-8 YAML stream (a big file, stdin) a piece at a time: pieces of about
 * {@link #PIECE_BYTES} that end where a document starts (a {@code ---} line at column 0, which
 * YAML never lets a scalar contain), each through the block-YAML fast path, or through
 * snakeyaml when it leaves the fast path's subset. Positions and document numbers are the
 * stream's, and memory holds one piece besides the trees built. Reading such a stream whole
 * through snakeyaml took about four times as long (a 100 MB file of 100,000 objects: 23 s).
 *
 * <p>Two things end the piecewise reading, and snakeyaml then reads the rest of the stream from
 * the start of the current piece, as it would have read the whole: a directive line ({@code %}
 * at column 0, which belongs to the document after it), and a piece grown past {@link
 * #MAX_PIECE_BYTES} without a document start (one huge document: snakeyaml's streaming reader
 * bounds it). A syntax error ends only its own piece; the pieces after it are still read, and
 * their documents keep their numbers in the file.
 *
 * <p>A large {@code List} document ({@code kubectl get -A -o yaml} writes one, of 100 MB for
 * 100,000 objects) has no document start to cut at, so it is also cut between its items: at a
 * {@code - } line at the indentation of the first item after a column-0 {@code items:} line.
 * Each part is YAML on its own (the keys before the items, a run of items, the keys after them),
 * and the parts are put back into the one document the whole text is. The document size limit
 * then bounds each part rather than the whole list. An alias cannot refer to an anchor in
 * another part; {@code kubectl} writes neither.
 */
final class PieceReader {
  private static final int PIECE_BYTES = 1 << 20;
  private static final int MAX_PIECE_BYTES = 16 << 20;

  private final YamlTreeReader yaml;
  private final InputStream in;
  private final Counting sink;
  private final int pieceBytes;
  private final int maxPieceBytes;
  private byte[] buf;
  private int len;
  private boolean eof;
  private YamlTreeReader.Piece piece = YamlTreeReader.Piece.WHOLE;

  /** Where a piece was cut: at a document start, between a List's items, or after its items. */
  private enum Cut { DOCUMENT, ITEM, TRAILER }

  /** Where the line being looked at stands in its document, with respect to a List's items. */
  private enum Items { BEFORE, AFTER_KEY, INSIDE, AFTER }

  private Items items = Items.BEFORE;
  private int itemIndent;
  /** The file line of the current document's column-0 {@code items:}. */
  private int itemsLine;
  /** Whether the current document has been cut between its items. */
  private boolean splitDocument;
  /** How the piece being gathered starts: after a cut inside a List, it goes on with that List. */
  private Cut startedAt = Cut.DOCUMENT;
  /** The List document cut between its items, being put back together; null when none. */
  private Held held;

  PieceReader(YamlTreeReader yaml, InputStream in, YamlTreeReader.Sink sink) {
    this(yaml, in, sink, PIECE_BYTES, MAX_PIECE_BYTES);
  }

  /** With other piece sizes, so tests can cut small texts into many pieces. */
  PieceReader(YamlTreeReader yaml, InputStream in, YamlTreeReader.Sink sink, int pieceBytes, int maxPieceBytes) {
    this.yaml = yaml;
    this.in = in;
    this.sink = new Counting(sink);
    this.pieceBytes = pieceBytes;
    this.maxPieceBytes = maxPieceBytes;
    this.buf = new byte[Math.max(64, pieceBytes + (pieceBytes >> 1))];
  }

  void read() throws IOException {
    int line = 0; // where the line being looked at starts in buf
    int lines = 0; // lines of buf before it
    int starts = 0; // document starts (--- lines) among them
    while (true) {
      while (len - line < 4 && fill()) {
        // enough bytes to tell a document start
      }
      if (line == len) {
        break;
      }
      if (buf[line] == '%') {
        readRestWithSnakeyaml();
        return;
      }
      int next = lineEnd(line);
      if (next < 0) {
        readRestWithSnakeyaml();
        return;
      }
      boolean start = documentStart(line);
      Cut cut = start ? Cut.DOCUMENT : classify(line, next, piece.firstLine() + lines);
      if (start) {
        items = Items.BEFORE;
        splitDocument = false;
      }
      if (cut != null && (cut == Cut.TRAILER ? splitDocument : line >= pieceBytes)) {
        readPiece(line, lines, starts, cut);
        System.arraycopy(buf, line, buf, 0, len - line);
        len -= line;
        line = 0;
        lines = 0;
        starts = 0;
        continue;
      }
      if (start) {
        starts++;
      }
      if (line >= maxPieceBytes) {
        readRestWithSnakeyaml();
        return;
      }
      line = next;
      lines++;
    }
    if (len > 0) {
      readPiece(len, lines, starts, null);
    } else {
      finishHeld();
    }
  }

  /**
   * Where the line starting at {@code line} ends (after its newline, or at the end of the
   * stream), reading on as needed; -1 when the piece would grow past the largest.
   */
  private int lineEnd(int line) throws IOException {
    int searched = line;
    int newline;
    while ((newline = indexOf((byte) '\n', searched)) < 0) {
      searched = len;
      if (len >= maxPieceBytes) {
        return -1;
      }
      if (!fill()) {
        break;
      }
    }
    return newline < 0 ? len : newline + 1;
  }

  /**
   * Follows a document's lines to its {@code items:} sequence: returns {@link Cut#ITEM} for a
   * line that starts an item, {@link Cut#TRAILER} for the first column-0 line after the items,
   * null for any other. Blank and comment lines change nothing.
   */
  private Cut classify(int from, int to, int fileLine) {
    int i = from;
    while (i < to && (buf[i] == ' ' || buf[i] == '\t')) {
      i++;
    }
    if (i == to || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '#') {
      return null;
    }
    int indent = i - from;
    if (indent == 0 && startsWith(i, to, "...") && (i + 3 == to || isBlank(buf[i + 3]))) {
      items = Items.BEFORE; // a document end: whatever follows is another document
      splitDocument = false;
      return null;
    }
    switch (items) {
      case BEFORE -> {
        if (indent == 0 && isItemsKey(i, to)) {
          items = Items.AFTER_KEY;
          itemsLine = fileLine;
        }
        return null;
      }
      case AFTER_KEY -> {
        if (isItem(i, to)) {
          items = Items.INSIDE;
          itemIndent = indent;
          return Cut.ITEM;
        }
        items = Items.AFTER;
        return null;
      }
      case INSIDE -> {
        if (indent == itemIndent && isItem(i, to)) {
          return Cut.ITEM;
        }
        if (indent == 0) {
          items = Items.AFTER;
          return Cut.TRAILER;
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** {@code items:}, then only spaces or a comment. */
  private boolean isItemsKey(int at, int to) {
    if (!startsWith(at, to, "items:")) {
      return false;
    }
    for (int i = at + 6; i < to; i++) {
      if (buf[i] == '#' && buf[i - 1] == ' ') {
        return true;
      }
      if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n') {
        return false;
      }
    }
    return true;
  }

  /** A block sequence entry: {@code -} then a space or the line's end. */
  private boolean isItem(int at, int to) {
    return buf[at] == '-' && (at + 1 == to || isBlank(buf[at + 1]));
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private boolean startsWith(int at, int to, String text) {
    if (to - at < text.length()) {
      return false;
    }
    for (int k = 0; k < text.length(); k++) {
      if (buf[at + k] != text.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** {@code ---} followed by a space, a tab, a line end or the end of the stream. */
  private boolean documentStart(int at) {
    if (len - at < 3 || buf[at] != '-' || buf[at + 1] != '-' || buf[at + 2] != '-') {
      return false;
    }
    if (len - at == 3) {
      return eof;
    }
    byte after = buf[at + 3];
    return after == ' ' || after == '\t' || after == '\n' || after == '\r';
  }

  /**
   * Reads {@code buf[0, end)}: {@code lines} lines holding {@code starts} document starts, cut
   * at {@code cut} (null: the stream's end). The next piece's documents are numbered on from
   * this one's last, or, where an error cut this piece short, from the documents it started.
   */
  private void readPiece(int end, int lines, int starts, Cut cut) {
    int errors = sink.errors;
    PieceSink into = new PieceSink();
    if (!yaml.readBlock(buf, end, into, piece)) {
      yaml.read(new ByteArrayInputStream(buf, 0, end), StandardCharsets.UTF_8, into, end, piece);
    }
    boolean insideList = cut == Cut.ITEM || cut == Cut.TRAILER;
    into.finish(insideList, piece.documentsBefore() + Math.max(1, starts));
    if (cut == Cut.ITEM) {
      splitDocument = true;
    }
    startedAt = insideList ? cut : Cut.DOCUMENT;
    if (insideList) {
      piece = new YamlTreeReader.Piece(piece.firstLine() + lines, held.index - 1);
      return;
    }
    int documents = Math.max(piece.documentsBefore(), sink.last);
    if (sink.errors > errors) {
      documents = Math.max(documents, piece.documentsBefore() + starts);
    }
    piece = new YamlTreeReader.Piece(piece.firstLine() + lines, documents);
  }

  private void readRestWithSnakeyaml() {
    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(buf, 0, len), in);
    PieceSink into = new PieceSink();
    yaml.read(rest, StandardCharsets.UTF_8, into, YamlTreeReader.MAX_BUFFER, piece);
    into.finish(false, 0);
  }

  /** At the stream's end, a List still being put together is complete. */
  private void finishHeld() {
    if (held != null) {
      held.deliver(sink);
      held = null;
    }
  }

  /**
   * Receives one piece's documents. After a cut inside a List, its first document (numbered as
   * the List) goes on with the held List; when the piece is itself cut inside a List, its last
   * document is that List's beginning, and is held. Every other document passes on.
   */
  private final class PieceSink implements YamlTreeReader.Sink {
    private final Cut continuing = startedAt;
    private int pendingIndex;
    private Node pending;
    private int last;

    @Override
    public void document(int index, Node root) {
      last = Math.max(last, index);
      if (held != null && index == held.index && continuing != Cut.DOCUMENT) {
        if (continuing == Cut.ITEM) {
          held.items.addAll(root.items());
        } else {
          held.trailer = root;
        }
        return;
      }
      finishHeld();
      flush();
      pendingIndex = index;
      pending = root;
    }

    @Override
    public void error(int line, int column, String message) {
      sink.error(line, column, message);
    }

    /** {@code insideList}: the piece ends inside a List document, numbered about {@code guess}. */
    void finish(boolean insideList, int guess) {
      if (!insideList) {
        finishHeld();
        flush();
        return;
      }
      if (held != null) {
        return; // the whole piece went on with the held List, which goes on in the next
      }
      if (pending instanceof MapNode head && head.get("items").line() == itemsLine) {
        held = new Held(pendingIndex, head, itemsLine);
        pending = null;
      } else {
        // an error lost the List's beginning: its items are still read, as a List without keys
        flush();
        held = new Held(Math.max(guess, last + 1), new MapNode(List.of(), List.of(), itemsLine, 1), itemsLine);
      }
    }

    private void flush() {
      if (pending != null) {
        sink.document(pendingIndex, pending);
        pending = null;
      }
    }
  }

  /** A List document cut between its items: its beginning, the items read since, its end. */
  private static final class Held {
    final int index;
    final MapNode head;
    final int itemsLine;
    final List<Node> items = new ArrayList<>();
    Node trailer;

    Held(int index, MapNode head, int itemsLine) {
      this.index = index;
      this.head = head;
      this.itemsLine = itemsLine;
      items.addAll(head.get("items").items());
    }

    /** The document as the whole text would have given it. */
    void deliver(YamlTreeReader.Sink to) {
      List<String> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      Node at = head.get("items");
      for (MapNode.Entry e : head.entries()) {
        keys.add(e.key());
        values.add(e.key().equals("items") ? new ListNode(items, at.line(), at.column()) : e.value());
      }
      if (!head.has("items")) {
        keys.add("items");
        values.add(new ListNode(items, itemsLine, 1));
      }
      if (trailer instanceof MapNode more) {
        for (MapNode.Entry e : more.entries()) {
          int existing = keys.indexOf(e.key());
          if (existing >= 0) {
            to.error(e.value().line(), e.value().column(), "duplicate key `" + e.key() + "` (first at line "
                + values.get(existing).line() + "); the last value is used, as the API server would");
            keys.remove(existing);
            values.remove(existing);
          }
          keys.add(e.key());
          values.add(e.value());
        }
      }
      to.document(index, new MapNode(keys, values, head.line(), head.column()));
    }
  }

  /** Reads more of the stream, growing the buffer when it is full; false at its end. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (len == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, len, buf.length - len);
    if (n < 0) {
      eof = true;
      return false;
    }
    len += n;
    return true;
  }

  private int indexOf(byte b, int from) {
    for (int i = from; i < len; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Passes everything on, remembering the number of the last document. */
  private static final class Counting implements YamlTreeReader.Sink {
    private final YamlTreeReader.Sink to;
    private int last;
    private int errors;

    Counting(YamlTreeReader.Sink to) {
      this.to = to;
    }

    @Override
    public void document(int index, Node root) {
      last = Math.max(last, index);
      to.document(index, root);
    }

    @Override
    public void error(int line, int column, String message) {
      errors++;
      to.error(line, column, message);
    }
  }
}

package dev.kapas.source.manifest;

import dev.kapas.model.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
      boolean start = documentStart(line);
      if (start && line >= pieceBytes) {
        readPiece(line, lines, starts);
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
      int searched = line;
      int newline;
      while ((newline = indexOf((byte) '\n', searched)) < 0) {
        searched = len;
        if (len >= maxPieceBytes) {
          readRestWithSnakeyaml();
          return;
        }
        if (!fill()) {
          break;
        }
      }
      line = newline < 0 ? len : newline + 1;
      lines++;
    }
    if (len > 0) {
      readPiece(len, lines, starts);
    }
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
   * Reads {@code buf[0, end)}: {@code lines} lines holding {@code starts} document starts. The
   * next piece's documents are numbered on from this one's last, or, where an error cut this
   * piece short, from the documents it started.
   */
  private void readPiece(int end, int lines, int starts) {
    int errors = sink.errors;
    if (!yaml.readBlock(buf, end, sink, piece)) {
      yaml.read(new ByteArrayInputStream(buf, 0, end), StandardCharsets.UTF_8, sink, end, piece);
    }
    int documents = Math.max(piece.documentsBefore(), sink.last);
    if (sink.errors > errors) {
      documents = Math.max(documents, piece.documentsBefore() + starts);
    }
    piece = new YamlTreeReader.Piece(piece.firstLine() + lines, documents);
  }

  private void readRestWithSnakeyaml() {
    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(buf, 0, len), in);
    yaml.read(rest, StandardCharsets.UTF_8, sink, YamlTreeReader.MAX_BUFFER, piece);
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

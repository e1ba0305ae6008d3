package dev.kapas.source.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes text and counts lines and columns of what the YAML scanner reads, so that problems found below the
 * scanner can be placed: text that is not valid in its encoding, and a token (a run of
 * characters without blanks) longer than the scalar limit. The scanner's cost grows with the
 * square of a token's length, so such a token is refused as it streams in, before it is
 * scanned, which bounds the time any file can take.
 */
final class GuardedReader extends Reader {

  /** A problem at a place in the text; the YAML reader reports it as a positioned error. */
  static final class PositionedIOException extends IOException {
    final int line;
    final int column;

    PositionedIOException(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes;
  private final CharBuffer chars;
  private boolean eof;
  private boolean badBytes;
  private final int maxToken;
  private int line = 1;
  private int column;
  private int run;
  private int runLine;
  private int runColumn;

  GuardedReader(InputStream in, Charset charset, int maxToken, int bufferSize) {
    this.in = in;
    this.bytes = ByteBuffer.allocate(Math.max(bufferSize, 16)).flip();
    this.chars = CharBuffer.allocate(Math.max(bufferSize, 16)).flip();
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.maxToken = maxToken;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Refills {@link #chars}; false at the end of the text. */
  private boolean fill() throws IOException {
    chars.clear();
    try {
      while (chars.position() == 0) {
        if (badBytes) {
          throw new PositionedIOException(line, column + 1, "not valid " + decoder.charset()
              + " text here (a binary file or another encoding?); the rest of the file is not read");
        }
        if (!eof && bytes.remaining() < 4) {
          bytes.compact();
          int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
          if (n < 0) {
            eof = true;
          } else {
            bytes.position(bytes.position() + n);
          }
          bytes.flip();
        }
        CoderResult result = decoder.decode(bytes, chars, eof);
        if (result.isError()) {
          badBytes = true;
        } else if (eof && result.isUnderflow()) {
          decoder.flush(chars);
          if (chars.position() == 0) {
            return false;
          }
        }
      }
    } finally {
      chars.flip();
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    char[] one = new char[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0];
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!chars.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(len, chars.remaining());
    chars.get(buf, off, n);
    for (int i = off; i < off + n; i++) {
      char c = buf[i];
      if (c == '\n') {
        line++;
        column = 0;
        run = 0;
        continue;
      }
      column++;
      if (c == ' ' || c == '\t' || c == '\r') {
        run = 0;
      } else if (run++ == 0) {
        runLine = line;
        runColumn = column;
      } else if (run > maxToken) {
        throw new PositionedIOException(runLine, runColumn, "a token of more than " + maxToken
            + " characters without a blank (a huge scalar?); the rest of the file is not read");
      }
    }
    return n;
  }
}

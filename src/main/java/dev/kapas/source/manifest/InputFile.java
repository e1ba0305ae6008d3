package dev.kapas.source.manifest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * What makes a path safe to read: only regular files are opened (opening a FIFO blocks until a
 * writer comes; a device or a socket never ends), and no input is read past a bound, so that no
 * input can hang a scan or exhaust its memory.
 */
final class InputFile {
  private InputFile() {}

  /** The most bytes read from one input; a regular file is also read no further than its size when opened. */
  static final long MAX_BYTES = 1L << 30;

  private static final int TYPE_MASK = 0170000;
  private static final int FIFO = 0010000;
  private static final int CHARACTER_DEVICE = 0020000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final int SOCKET = 0140000;

  /**
   * Why {@code path} (followed through links) is not read, when it is neither a regular file nor a
   * directory: "a named pipe (FIFO)", "a character device", ... An anonymous pipe the shell hands
   * over ({@code kapas scan <(helm template ...)}, seen as {@code /dev/fd/63}) is read: it has a
   * writer already, so opening it does not block.
   */
  static Optional<String> notAFile(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (attributes.isRegularFile() || attributes.isDirectory() || isAnonymousPipe(path)) {
      return Optional.empty();
    }
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.of("not a regular file");
    }
    return Optional.of(switch (mode & TYPE_MASK) {
      case FIFO -> "a named pipe (FIFO)";
      case CHARACTER_DEVICE -> "a character device";
      case BLOCK_DEVICE -> "a block device";
      case SOCKET -> "a socket";
      default -> "not a regular file";
    });
  }

  /** {@code /dev/fd/N} or {@code /proc/self/fd/N} of a pipe links to {@code pipe:[inode]}. */
  static boolean isAnonymousPipe(Path path) {
    try {
      return Files.isSymbolicLink(path) && Files.readSymbolicLink(path).toString().startsWith("pipe:");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The sentence for an input that is not read because of its type. */
  static String refusal(String what) {
    return what + ", not a regular file: not read (to scan what a program writes, pipe it: "
        + "`... | kapas scan -`)";
  }

  /**
   * Opens a regular file to be read up to its size now: a file that grows meanwhile (a log being
   * written) is an error rather than a read without end.
   */
  static InputStream open(Path file) throws IOException {
    long size = Files.size(file);
    return bounded(Files.newInputStream(file), size,
        "the file grew while it was read (it had " + size + " bytes when opened); the rest is not read");
  }

  /** Opens a stream whose size is not known (stdin, a pipe), to be read up to {@link #MAX_BYTES}. */
  static InputStream openStream(InputStream in) {
    return bounded(in, MAX_BYTES, "more than " + tooLarge());
  }

  /** Why an input is not read past {@link #MAX_BYTES}. */
  static String tooLarge() {
    return (MAX_BYTES >> 20) + " MiB, the most kapas reads from one input; the rest is not read";
  }

  /** Reading went past the bound: the message is the input error. */
  static final class TooLong extends IOException {
    TooLong(String message) {
      super(message);
    }
  }

  /**
   * {@code in}, refusing to go past {@code limit} bytes: the read that would go past throws
   * {@link TooLong} with {@code message}. Reading a regular file up to its size when opened, one
   * byte more means it grew while being read.
   */
  static InputStream bounded(InputStream in, long limit, String message) {
    return new FilterInputStream(in) {
      private long read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        // ask for one byte past the limit, so that reaching it exactly is not an error
        int n = super.read(b, off, (int) Math.min(len, limit - read + 1));
        if (n > 0) {
          read += n;
          if (read > limit) {
            throw new TooLong(message);
          }
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        return Math.max(0, read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192)));
      }

      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }
}

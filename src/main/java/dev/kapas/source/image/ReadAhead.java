package dev.kapas.source.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the reader: a layer is fetched,
 * hashed and unpacked on one core while the tar entries are catalogued on the other. Memory is
 * bounded by {@code chunks} of {@code chunkSize} bytes. An error of the source reaches the
 * reader, as the same exception, where the data ends; after the source's end, {@code drain}
 * reads what must still be read behind it (the rest of the compressed blob, for its digest).
 * {@link #close()} stops the thread and waits for it, so that what it wrote is visible after.
 */
final class ReadAhead extends InputStream {
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> chunks;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Throwable failure;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;
  /** Nanoseconds the reader spent waiting for data. */
  long waited;

  ReadAhead(InputStream source, InputStream drain, int chunkSize, int count, String name) {
    this.chunks = new ArrayBlockingQueue<>(count);
    this.thread = new Thread(() -> run(source, drain, chunkSize), "kapas-read " + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(InputStream source, InputStream drain, int chunkSize) {
    try {
      while (!closed) {
        byte[] buf = source.readNBytes(chunkSize);
        if (buf.length == 0) {
          break;
        }
        put(buf);
      }
      if (!closed) {
        drain.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    } finally {
      try {
        put(END);
      } catch (InterruptedIOException e) {
        // closed while interrupted: nobody reads on
      }
    }
  }

  private void put(byte[] buf) throws InterruptedIOException {
    try {
      while (!closed && !chunks.offer(buf, 100, TimeUnit.MILLISECONDS)) {
        // the reader is busy; wait unless it has closed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    while (pos >= current.length) {
      long start = System.nanoTime();
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      } finally {
        waited += System.nanoTime() - start;
      }
      pos = 0;
      if (current == END) {
        ended = true;
        Throwable f = failure;
        if (f instanceof IOException io) {
          throw io;
        }
        if (f instanceof RuntimeException r) {
          throw r;
        }
        if (f instanceof Error err) {
          throw err;
        }
        return false;
      }
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    return fill() ? current[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    closed = true;
    chunks.clear();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    current = new byte[0];
  }
}

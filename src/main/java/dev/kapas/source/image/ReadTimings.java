package dev.kapas.source.image;

/**
 * Where reading the layers spent its time, in nanoseconds: {@code pull} reading the stored
 * (compressed) bytes from the registry or the file and hashing them; {@code decompress}
 * unpacking and hashing the tar; {@code catalogue} in the consumers, less the time they waited
 * for the tar. Pull and decompress run on the read-ahead thread, catalogue on the caller's, so
 * with two cores their sum exceeds the wall time.
 */
public final class ReadTimings {
  long pull;
  long decompress;
  long catalogue;

  public long pullNanos() {
    return pull;
  }

  public long decompressNanos() {
    return decompress;
  }

  public long catalogueNanos() {
    return catalogue;
  }
}

package dev.kapas.source.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where an image's manifests and blobs are: a registry, an OCI layout (directory or tar), a
 * {@code docker save} tar. Stores hand out bytes as stored; {@link ImageReader} checks every
 * digest, so a store never has to be trusted.
 */
interface ImageStore extends Closeable {

  /** The manifest or index the user's name points at. {@code mediaType} may be empty (then the JSON says). */
  Manifest root() throws ImageError, IOException;

  /** A manifest an index points at, at most {@code limit} bytes. */
  byte[] manifest(Descriptor d, int limit) throws ImageError, IOException;

  /** A blob as stored (compressed layers stay compressed). */
  InputStream blob(Descriptor d) throws ImageError, IOException;

  /** Manifest bytes, their media type, and the digest they must have (empty: not known beforehand). */
  record Manifest(byte[] bytes, String mediaType, String expectedDigest) {}

  @Override
  default void close() throws IOException {}
}

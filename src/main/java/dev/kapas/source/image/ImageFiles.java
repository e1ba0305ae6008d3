package dev.kapas.source.image;
/** Receives the image's files while the layers stream, bottom layer first (you own and implement the streaming; catalog helper implements a consumer). */
public interface ImageFiles {
  /** true when the consumer wants the content of the regular file at this path (relative, no leading '/', e.g. "var/lib/dpkg/status"). */
  boolean wants(String path, long size);
  /** a regular file in layer `layerDigest`; content is the file's bytes, read at most once, bounded by the caller. */
  void file(String path, String layerDigest, java.io.InputStream content, long size) throws java.io.IOException;
  /** a whiteout (.wh.NAME) in a later layer: the path and anything under it is gone. */
  void delete(String path);
  /** an opaque directory (.wh..wh..opq): everything under dir from lower layers is gone. */
  void clear(String dir);
}

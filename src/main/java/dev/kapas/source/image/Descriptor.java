package dev.kapas.source.image;

import java.util.Map;
import java.util.regex.Pattern;

/** An OCI content descriptor: what a manifest says a blob is. */
record Descriptor(String mediaType, String digest, long size) {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  /** The descriptor at {@code m}, checked: a sha256 digest (nothing else is verifiable) and a size. */
  static Descriptor of(Map<String, Object> m, String where) throws ImageError {
    String digest = Json.str(m, "digest");
    if (!SHA256.matcher(digest).matches()) {
      throw new ImageError(where + " has digest `" + digest + "`, not sha256:<64 hex digits>");
    }
    long size = Json.num(m, "size");
    if (size < 0) {
      throw new ImageError(where + " (" + digest + ") has no size");
    }
    return new Descriptor(Json.str(m, "mediaType"), digest, size);
  }

  static boolean isDigest(String text) {
    return SHA256.matcher(text).matches();
  }

  String hex() {
    return digest.substring("sha256:".length());
  }
}

package dev.kapas.source.image;

/**
 * Why an image could not be read, as one sentence that names the blob or request concerned; the
 * command puts the image's name in front. Never carries a credential.
 */
public final class ImageError extends Exception {
  private final int status;

  public ImageError(String message) {
    this(message, 0);
  }

  /** {@code status}: the registry's HTTP status when it answered with an error, else 0. */
  public ImageError(String message, int status) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status of the registry's error answer (404: not found), 0 when there was none. */
  public int status() {
    return status;
  }
}

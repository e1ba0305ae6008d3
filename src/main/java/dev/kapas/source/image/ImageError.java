package dev.kapas.source.image;

/**
 * Why an image could not be read, as one sentence that names the blob or request concerned; the
 * command puts the image's name in front. Never carries a credential.
 */
public final class ImageError extends Exception {
  public ImageError(String message) {
    super(message, null, false, false);
  }
}

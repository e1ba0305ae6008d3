package dev.kapas.source.image;

/**
 * The distribution an image is built on, as the image rules see it: from the catalog's reading of
 * its {@code os-release} file (empty fields when the image has none, as scratch and most
 * distroless-static images).
 *
 * @param id {@code ID}, such as {@code debian}, {@code ubuntu}, {@code alpine}
 * @param versionId {@code VERSION_ID}, such as {@code 12}, {@code 22.04}, {@code 3.19.1}
 * @param prettyName {@code PRETTY_NAME}
 */
public record OsRelease(String id, String versionId, String prettyName) {
  public static final OsRelease NONE = new OsRelease("", "", "");

  public boolean known() {
    return !id.isEmpty();
  }
}

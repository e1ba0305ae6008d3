package dev.kapas.source.image;

import java.io.IOException;
import java.nio.file.Path;

/** The sample image of {@link ImageSourceTest}, for tests in other packages. */
public final class TestImages {
  private TestImages() {}

  /** Writes the sample (Debian 12 os-release, this machine's dpkg status, a key in a file; gzip layers) as an OCI layout. */
  public static String writeSample(Path dir) throws IOException {
    return ImageSourceTest.sample(TestImage.Compression.GZIP).writeLayout(dir);
  }

  /**
   * Writes a one-layer image as an OCI layout: config {@code User} {@code user}, and a file whose
   * content is {@code marker} (so images with different markers have different digests).
   */
  public static String writeSmall(Path dir, String user, String marker) throws IOException {
    return new TestImage().user(user).layer(TestImage.Compression.GZIP,
        TestImage.Entry.file("etc/os-release", ImageSourceTest.DEBIAN_12), TestImage.Entry.file("app/marker", marker))
        .writeLayout(dir);
  }
}

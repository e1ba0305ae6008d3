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
}

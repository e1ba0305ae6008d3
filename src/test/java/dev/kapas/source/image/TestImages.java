package dev.kapas.source.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample image of {@link ImageSourceTest}, for tests in other packages. */
public final class TestImages {
  private TestImages() {}

  /** Writes the sample (Debian 12 os-release, this machine's dpkg status, a key in a file; gzip layers) as an OCI layout. */
  public static String writeSample(Path dir) throws IOException {
    return ImageSourceTest.sample(TestImage.Compression.GZIP).writeLayout(dir);
  }

  /** The jar Maven fetched that {@link #writeVulnerable} puts in the image (commons-compress 1.21, GHSA-4g9r-vxhx-9pgx). */
  public static final Path COMMONS_COMPRESS_121 = Path.of(System.getProperty("user.home"),
      ".m2/repository/org/apache/commons/commons-compress/1.21/commons-compress-1.21.jar");

  /**
   * A Debian 7 image: its first layer has os-release and a dpkg status of this machine's packages
   * plus nginx-full built from nginx 1.2.1-2.2+wheezy2 (what DSA-3029-1 names, by source package);
   * its second (zstd) layer the commons-compress 1.21 jar Maven fetched. No user set: it runs as root.
   */
  public static String writeVulnerable(Path dir) throws IOException {
    Path status = Path.of("/var/lib/dpkg/status");
    String machine = Files.isReadable(status) ? Files.readString(status).strip() + "\n\n" : "";
    String dpkg = machine + "Package: nginx-full\nStatus: install ok installed\nArchitecture: amd64\n"
        + "Source: nginx\nVersion: 1.2.1-2.2+wheezy2\nDescription: small, powerful, scalable web/proxy server\n";
    return new TestImage()
        .layer(TestImage.Compression.GZIP,
            TestImage.Entry.file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 7 (wheezy)\"\nID=debian\nVERSION_ID=\"7\"\n"),
            TestImage.Entry.file("var/lib/dpkg/status", dpkg.getBytes(StandardCharsets.UTF_8)))
        .layer(TestImage.Compression.ZSTD,
            TestImage.Entry.file("opt/app/lib/commons-compress-1.21.jar", Files.readAllBytes(COMMONS_COMPRESS_121)))
        .writeLayout(dir);
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

package dev.kapas.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.source.image.TestImage.Compression;
import dev.kapas.source.image.TestImage.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images assembled here, read from an OCI layout, and (through skopeo) a docker-archive and an OCI archive. */
class ImageSourceTest {
  static final String DEBIAN_12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
      + "VERSION_ID=\"12\"\nID=debian\n";
  @TempDir
  Path tmp;

  /** Records what the reader hands a consumer. */
  static final class Recorder implements ImageFiles {
    final List<String> events = new ArrayList<>();
    final String wanted;
    byte[] content = new byte[0];

    Recorder(String wanted) {
      this.wanted = wanted;
    }

    @Override
    public boolean wants(String path, long size) {
      events.add("saw " + path);
      return path.equals(wanted);
    }

    @Override
    public void file(String path, String layer, InputStream in, long size) throws IOException {
      content = in.readAllBytes();
      events.add("file " + path + " " + layer);
    }

    @Override
    public void delete(String path) {
      events.add("delete " + path);
    }

    @Override
    public void clear(String dir) {
      events.add("clear " + dir);
    }
  }

  static TestImage sample(Compression upper) throws IOException {
    byte[] dpkg = Files.exists(Path.of("/var/lib/dpkg/status")) ? Files.readAllBytes(Path.of("/var/lib/dpkg/status"))
        : "Package: none\n".getBytes(StandardCharsets.UTF_8);
    return new TestImage().user("").env("PATH=/usr/bin").expose("22/tcp").history("/bin/sh -c #(nop) ADD file:x in /")
        .layer(Compression.GZIP, Entry.file("etc/os-release", DEBIAN_12), Entry.file("usr/sbin/sshd", "ELF"),
            Entry.file("./var/lib/dpkg/status", dpkg), Entry.file("dir/a", "a"),
            Entry.file("app/settings.env", "AWS_ACCESS_KEY_ID=AKIAQ4BXR7ZWJ3KL9PT2\n"),
            Entry.symlink("loop/a", "b"), Entry.symlink("loop/b", "a"))
        .layer(upper, Entry.file("usr/sbin/.wh.sshd", ""), Entry.file("dir/.wh..wh..opq", ""),
            Entry.file("dir/b", "b"));
  }

  ImageSource source(Recorder r, ImageReader.Limits limits) throws ImageError {
    return new ImageSource(new RegistryClient(RegistryClient.Options.defaults(), Credentials.none()),
        new Platform("linux", "amd64", ""), limits, List.of(r), tmp, LocalDate.of(2026, 12, 5));
  }

  @Test
  void readsLayersInOrderAppliesWhiteoutsAndChecksDigests() throws Exception {
    String manifest = sample(Compression.ZSTD).writeLayout(tmp.resolve("layout"));
    Recorder r = new Recorder("var/lib/dpkg/status");
    ImageFact image = source(r, ImageReader.Limits.DEFAULT).read("layout").image().orElseThrow();

    assertThat(image.digest()).isEqualTo(manifest);
    assertThat(image.os()).isEqualTo(new OsRelease("debian", "12", "Debian GNU/Linux 12 (bookworm)"));
    assertThat(image.sshServers()).as("sshd whited out by the second layer").isEmpty();
    assertThat(image.config().exposedPorts()).containsExactly("22/tcp");
    assertThat(image.layers()).hasSize(2);
    assertThat(image.secrets()).extracting(FileSecret::path).containsExactly("app/settings.env");
    assertThat(r.events).containsSubsequence("saw etc/os-release", "file var/lib/dpkg/status "
        + image.layers().get(0).diffId(), "delete usr/sbin/sshd", "clear dir", "saw dir/b");
    assertThat(r.events).noneMatch(e -> e.contains("loop"));
    if (Files.exists(Path.of("/var/lib/dpkg/status"))) {
      assertThat(r.content).isEqualTo(Files.readAllBytes(Path.of("/var/lib/dpkg/status")));
    }
  }

  @Test
  void packagesOfEveryLayerAreInventoriedWithTheLayerThatBroughtThem() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/var/lib/dpkg/status")), "no dpkg status on this machine");
    byte[] dpkg = Files.readAllBytes(Path.of("/var/lib/dpkg/status"));
    long installed = Files.readString(Path.of("/var/lib/dpkg/status")).lines().filter(l -> l.startsWith("Package: ")).count();
    new TestImage()
        .layer(Compression.GZIP, Entry.file("etc/os-release", DEBIAN_12), Entry.file("var/lib/dpkg/status", dpkg),
            Entry.file("usr/lib/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}"),
            Entry.file("app/node_modules/gone/package.json", "{\"name\":\"gone\",\"version\":\"1.0.0\"}"),
            Entry.file("srv/node_modules/old/package.json", "{\"name\":\"old\",\"version\":\"1.0.0\"}"))
        .layer(Compression.ZSTD, Entry.file("app/node_modules/.wh.gone", ""), Entry.file("srv/.wh..wh..opq", ""),
            Entry.file("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n"))
        .writeLayout(tmp.resolve("layout"));
    ImageSource.Result result = new ImageSource(new RegistryClient(RegistryClient.Options.defaults(), Credentials.none()),
        new Platform("linux", "amd64", ""), tmp, LocalDate.of(2026, 12, 5)).read("layout");
    ImageFact image = result.image().orElseThrow();
    String lower = image.layers().get(0).diffId();
    String upper = image.layers().get(1).diffId();
    List<dev.kapas.model.SoftwarePackage> debs = image.packages().stream().filter(p -> p.ecosystem().equals("Debian:12"))
        .toList();
    assertThat(debs).hasSize((int) installed).allSatisfy(p -> {
      assertThat(p.layer()).isEqualTo(lower);
      assertThat(p.path()).isEqualTo("var/lib/dpkg/status");
      assertThat(p.purl()).startsWith("pkg:deb/debian/").contains("distro=debian-12");
    });
    assertThat(image.packages()).filteredOn(p -> !p.ecosystem().startsWith("Debian"))
        .extracting(p -> p.name() + " " + p.version() + " " + (p.layer().equals(lower) ? "lower" : p.layer().equals(upper)
            ? "upper" : p.layer()))
        .as("the whiteout removed `gone`, the opaque directory `old`")
        .containsExactlyInAnyOrder("left-pad 1.3.0 lower", "six 1.16.0 upper");
    assertThat(result.notes()).isEmpty();
    assertThat(result.timings().pullNanos()).isPositive();
    assertThat(result.timings().decompressNanos()).isPositive();
    assertThat(result.timings().catalogueNanos()).isPositive();
  }

  @Test
  void layoutDockerArchiveAndOciArchiveGiveTheSameInventory() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed (scripts/test-servers.sh)");
    // docker-archive has no zstd layers
    sample(Compression.GZIP).writeLayout(tmp.resolve("layout"));
    skopeo("copy", "oci:" + tmp.resolve("layout") + ":test", "docker-archive:" + tmp.resolve("docker.tar"));
    skopeo("copy", "oci:" + tmp.resolve("layout") + ":test", "oci-archive:" + tmp.resolve("oci.tar"));
    List<ImageFact> read = new ArrayList<>();
    for (String name : List.of("layout", "docker.tar", "oci.tar")) {
      read.add(source(new Recorder(""), ImageReader.Limits.DEFAULT).read(name).image().orElseThrow());
    }
    for (ImageFact f : read) {
      assertThat(f.imageId()).isEqualTo(read.get(0).imageId());
      assertThat(f.config()).isEqualTo(read.get(0).config());
      assertThat(f.os()).isEqualTo(read.get(0).os());
      assertThat(f.layers().stream().map(Layer::diffId).toList())
          .isEqualTo(read.get(0).layers().stream().map(Layer::diffId).toList());
      assertThat(f.secrets()).isEqualTo(read.get(0).secrets());
      assertThat(f.packages()).isNotEmpty().isEqualTo(read.get(0).packages());
    }
    assertThat(read.get(1).digest()).as("docker save's older format has no manifest").isEmpty();
  }

  private static void skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("skopeo %s: %s", args, out).isTrue();
  }

  private Path onlyLayerBlob(Path layout, String manifestDigest) throws IOException {
    String manifest = Files.readString(layout.resolve("blobs/sha256/" + manifestDigest.substring(7)));
    String layer = manifest.replaceFirst("(?s).*\"layers\":\\[\\{[^}]*\"digest\":\"sha256:([0-9a-f]{64}).*", "$1");
    return layout.resolve("blobs/sha256/" + layer);
  }

  @Test
  void aCorruptLayerIsAnErrorNamingTheBlob() throws Exception {
    String m = new TestImage().layer(Compression.GZIP, Entry.file("etc/os-release", DEBIAN_12)).writeLayout(tmp.resolve("l"));
    Path blob = onlyLayerBlob(tmp.resolve("l"), m);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(blob, bytes);
    assertThatThrownBy(() -> source(new Recorder(""), ImageReader.Limits.DEFAULT).read("l"))
        .isInstanceOf(ImageError.class).hasMessageContaining("layer sha256:" + blob.getFileName());
  }

  @Test
  void aTruncatedLayerIsAnError() throws Exception {
    String m = new TestImage().layer(Compression.GZIP, Entry.file("big", "x".repeat(100_000) + Math.random()))
        .writeLayout(tmp.resolve("l"));
    Path blob = onlyLayerBlob(tmp.resolve("l"), m);
    byte[] bytes = Files.readAllBytes(blob);
    Files.write(blob, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> source(new Recorder(""), ImageReader.Limits.DEFAULT).read("l"))
        .isInstanceOf(ImageError.class).hasMessageMatching("layer sha256:[0-9a-f]{64} is truncated or corrupt: .*");
  }

  @Test
  void aLayerThatIsNotATarStopsTheReadAheadAndIsAnError() throws Exception {
    // 24 MiB: far more than the read-ahead holds, so its thread is still reading when the tar fails
    byte[] garbage = new byte[24 << 20];
    new java.util.Random(7).nextBytes(garbage);
    new TestImage().rawLayer(Compression.GZIP, garbage).writeLayout(tmp.resolve("l"));
    long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kapas-read")).count();
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
        assertThatThrownBy(() -> source(new Recorder(""), ImageReader.Limits.DEFAULT).read("l"))
            .isInstanceOf(ImageError.class).hasMessageMatching("layer sha256:[0-9a-f]{64} is truncated or corrupt: .*"));
    assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kapas-read") && t.isAlive())
        .count()).as("the read-ahead thread has stopped").isEqualTo(before);
  }

  @Test
  void aLayerWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
    String m = new TestImage().layer(Compression.NONE, Entry.file("a", "one")).writeLayout(tmp.resolve("l"));
    Path blob = onlyLayerBlob(tmp.resolve("l"), m);
    // same size, another file name inside: a valid tar whose digest is not the manifest's
    Files.write(blob, Files.readAllBytes(blob).clone().length > 0 ? replaceFirstByte(Files.readAllBytes(blob)) : null);
    assertThatThrownBy(() -> source(new Recorder(""), ImageReader.Limits.DEFAULT).read("l"))
        .isInstanceOf(ImageError.class).hasMessageContaining("unpacks to sha256:")
        .hasMessageContaining("diff_id");
  }

  private static byte[] replaceFirstByte(byte[] tar) {
    tar[0] = 'b';
    return tar;
  }

  @Test
  void aDecompressionBombStopsAtTheBound() throws Exception {
    new TestImage().layer(Compression.GZIP, Entry.file("zeros", new byte[40 << 20])).writeLayout(tmp.resolve("l"));
    assertThatThrownBy(() -> source(new Recorder(""), new ImageReader.Limits(1L << 40, 200, 1 << 20)).read("l"))
        .isInstanceOf(ImageError.class).hasMessageContaining("decompression bomb");
  }

  @Test
  void entriesClimbingOutOfTheRootAreSkippedAndSaid() throws Exception {
    new TestImage().layer(Compression.GZIP, Entry.file("../../etc/cron.d/evil", "x"), Entry.file("/etc/os-release",
        DEBIAN_12)).writeLayout(tmp.resolve("l"));
    Recorder r = new Recorder("");
    ImageSource.Result result = source(r, ImageReader.Limits.DEFAULT).read("l");
    assertThat(result.problems()).singleElement().asString().contains("`../../etc/cron.d/evil` points outside the image root");
    assertThat(r.events).contains("saw etc/os-release").noneMatch(e -> e.contains("cron"));
    assertThat(result.image().orElseThrow().os().id()).isEqualTo("debian");
  }

  @Test
  void anIndexWithoutThePlatformSaysWhatItHas() throws Exception {
    String m = new TestImage().layer(Compression.GZIP, Entry.file("a", "a")).writeLayout(tmp.resolve("l"));
    String index = Files.readString(tmp.resolve("l/index.json"));
    Files.writeString(tmp.resolve("l/index.json"), index.replace("\"annotations\"",
        "\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"},\"annotations\""));
    assertThat(m).isNotEmpty();
    assertThatThrownBy(() -> source(new Recorder(""), ImageReader.Limits.DEFAULT).read("l"))
        .isInstanceOf(ImageError.class).hasMessage("index has no image for linux/amd64 (it has linux/s390x); "
            + "choose one with --platform");
  }

  @Test
  void referencesAreNormalisedAsDockerDoes() {
    assertThat(ImageRef.parse("nginx")).contains(new ImageRef("docker.io", "library/nginx", "latest", ""));
    assertThat(ImageRef.parse("localhost:5000/a/b:1")).contains(new ImageRef("localhost:5000", "a/b", "1", ""));
    assertThat(ImageRef.parse("Bad/Name")).isEmpty();
  }
}

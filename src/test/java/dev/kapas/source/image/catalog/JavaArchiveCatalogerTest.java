package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java archives. The oracle is Maven itself: the jars on this test's class path were downloaded by
 * Maven into its repository, whose layout ({@code GROUP/PATH/ARTIFACT/VERSION/ARTIFACT-VERSION.jar})
 * states each jar's coordinates. The test nests those real jars the way Spring Boot (stored,
 * {@code BOOT-INF/lib}), a WAR ({@code WEB-INF/lib}) and an EAR (a WAR inside) do.
 */
class JavaArchiveCatalogerTest {
  @TempDir Path root;

  /** A jar Maven downloaded, with the coordinates its repository path gives. */
  record MavenJar(Path file, String group, String artifact, String version) {
    String coordinates() {
      return group + ":" + artifact + "@" + version;
    }
  }

  static MavenJar downloadedJar(Class<?> fromJar) throws URISyntaxException {
    return downloadedJar(Path.of(fromJar.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  /**
   * The jar of Maven's repository on the test class path under {@code groupPath/artifact/}: for
   * picocli, whose classes the build compiles from its sources jar into target/classes, so its
   * classes no longer come from the downloaded jar.
   */
  static MavenJar downloadedJar(String groupPath, String artifact) {
    String marker = "/" + groupPath + "/" + artifact + "/";
    return downloadedJar(java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> e.contains(marker) && e.endsWith(".jar")).map(Path::of).findFirst()
        .orElseThrow(() -> new AssertionError(artifact + " is not on the test class path")));
  }

  private static MavenJar downloadedJar(Path jar) {
    Path versionDir = jar.getParent();
    Path artifactDir = versionDir.getParent();
    Path repo = Path.of(System.getProperty("user.home"), ".m2/repository");
    assertThat(jar).as("a jar from Maven's repository").startsWith(repo);
    String group = repo.relativize(artifactDir.getParent()).toString().replace('/', '.');
    return new MavenJar(jar, group, artifactDir.getFileName().toString(), versionDir.getFileName().toString());
  }

  // snakeyaml-engine and jackson-core carry pom.properties; AssertJ too
  private final MavenJar snakeyaml = downloadedJar(org.snakeyaml.engine.v2.api.Load.class);
  private final MavenJar jackson = downloadedJar(com.fasterxml.jackson.core.JsonFactory.class);
  private final MavenJar assertj = downloadedJar(org.assertj.core.api.Assertions.class);
  // picocli is built with Gradle: no pom.properties, only its MANIFEST
  private final MavenJar picocli = downloadedJar("info/picocli", "picocli");

  JavaArchiveCatalogerTest() throws URISyntaxException {}

  @Test
  void plainJarsHaveTheCoordinatesMavenDownloadedThemAs() throws IOException {
    for (MavenJar jar : List.of(snakeyaml, jackson, assertj)) {
      Files.copy(jar.file(), Files.createDirectories(root.resolve("app/lib")).resolve(jar.file().getFileName()));
    }

    Catalog catalog = new Catalog().readTree(root);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages()).extracting(p -> p.name() + "@" + p.version())
        .containsExactlyInAnyOrder(snakeyaml.coordinates(), jackson.coordinates(), assertj.coordinates());
    assertThat(catalog.packages()).filteredOn(p -> p.name().endsWith(":jackson-core")).singleElement().satisfies(p -> {
      assertThat(p.ecosystem()).isEqualTo("Maven");
      assertThat(p.purl()).isEqualTo("pkg:maven/com.fasterxml.jackson.core/jackson-core@" + jackson.version());
      assertThat(p.path()).isEqualTo("app/lib/" + jackson.file().getFileName());
    });
  }

  @Test
  void aJarWithoutPomPropertiesIsNamedFromItsManifestAndFileName() throws IOException {
    Files.copy(picocli.file(), root.resolve(picocli.file().getFileName()));

    List<SoftwarePackage> packages = new Catalog().readTree(root).packages();

    // no groupId anywhere in the jar: the artifact and version still show, as Syft reports them
    assertThat(packages).singleElement().extracting(SoftwarePackage::name, SoftwarePackage::version, SoftwarePackage::purl)
        .containsExactly(picocli.artifact(), picocli.version(), "pkg:maven/picocli/picocli@" + picocli.version());
  }

  @Test
  void springBootFatJarWarAndEarNestTheRealJars() throws IOException {
    Path deploy = Files.createDirectories(root.resolve("deploy"));
    try (ZipOutputStream fat = new ZipOutputStream(Files.newOutputStream(deploy.resolve("app.jar")))) {
      entry(fat, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\n".getBytes());
      entry(fat, "META-INF/maven/com.example/demo/pom.properties", "groupId=com.example\nartifactId=demo\nversion=0.0.1-SNAPSHOT\n".getBytes());
      entry(fat, "BOOT-INF/classes/com/example/Demo.class", new byte[] {(byte) 0xca, (byte) 0xfe});
      stored(fat, "BOOT-INF/lib/" + snakeyaml.file().getFileName(), Files.readAllBytes(snakeyaml.file()));
      stored(fat, "BOOT-INF/lib/" + jackson.file().getFileName(), Files.readAllBytes(jackson.file()));
    }
    Path war = root.resolve("shop.war");
    try (ZipOutputStream w = new ZipOutputStream(Files.newOutputStream(war))) {
      entry(w, "WEB-INF/web.xml", "<web-app/>".getBytes());
      entry(w, "WEB-INF/lib/" + assertj.file().getFileName(), Files.readAllBytes(assertj.file()));
    }
    try (ZipOutputStream ear = new ZipOutputStream(Files.newOutputStream(deploy.resolve("shop.ear")))) {
      entry(ear, "META-INF/application.xml", "<application/>".getBytes());
      entry(ear, "shop.war", Files.readAllBytes(war));
      entry(ear, "lib/" + picocli.file().getFileName(), Files.readAllBytes(picocli.file()));
    }
    Files.delete(war);

    Catalog catalog = new Catalog().readTree(root);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages()).filteredOn(p -> p.path().equals("deploy/app.jar")).extracting(p -> p.name() + "@" + p.version())
        .containsExactlyInAnyOrder("com.example:demo@0.0.1-SNAPSHOT", snakeyaml.coordinates(), jackson.coordinates());
    assertThat(catalog.packages()).filteredOn(p -> p.path().equals("deploy/shop.ear")).extracting(p -> p.name() + "@" + p.version())
        .containsExactlyInAnyOrder(assertj.coordinates(), picocli.artifact() + "@" + picocli.version());
  }

  @Test
  void aTruncatedJarIsAProblemNamingIt() throws IOException {
    byte[] whole = Files.readAllBytes(jackson.file());
    Files.write(root.resolve("broken.jar"), java.util.Arrays.copyOf(whole, whole.length / 3));
    Files.write(root.resolve("text.jar"), "this is not a zip".getBytes());

    Catalog catalog = new Catalog().readTree(root);

    assertThat(catalog.problems()).extracting(d -> d.file()).containsExactly("broken.jar");
    assertThat(catalog.problems().get(0).message()).startsWith("not catalogued: ");
  }

  private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  /** Spring Boot stores nested jars uncompressed, sizes and CRC in the local header. */
  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

}

package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central-directory reader the Java cataloger opens jars with. Oracles: the JDK's own zip
 * reader ({@link ZipFile}) on the same bytes, for a jar Maven downloaded, for an archive Info-ZIP's
 * {@code zip -fz} writes in the zip64 format, and for an archive behind a launch script (as
 * Spring Boot's executable jars are).
 */
class ZipIndexTest {
  @TempDir Path dir;

  @Test
  void aJarMavenDownloadedListsAndReadsLikeTheJdk() throws IOException, URISyntaxException {
    Path jar = JavaArchiveCatalogerTest.downloadedJar(com.fasterxml.jackson.core.JsonFactory.class).file();

    assertSameAsJdk(jar, Files.readAllBytes(jar));
  }

  @Test
  void zip64ArchivesFromInfoZipAreRead() throws Exception {
    Path archive = infoZip("-fz");
    byte[] bytes = Files.readAllBytes(archive);
    // the zip64 end-of-central-directory record is there, and the classic one points to it
    assertThat(indexOf(bytes, new byte[] {'P', 'K', 6, 6})).isPositive();

    assertSameAsJdk(archive, bytes);
    assertThat(new JavaArchiveCataloger().read("app.jar", new java.io.ByteArrayInputStream(bytes), bytes.length)
        .packages()).extracting(f -> f.name() + "@" + f.version()).containsExactly("com.example:demo@1.2.3");
  }

  @Test
  void bytesInFrontOfTheArchiveAreAllowedFor() throws Exception {
    byte[] zip = Files.readAllBytes(infoZip());
    byte[] script = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.US_ASCII);
    byte[] prefixed = new byte[script.length + zip.length];
    System.arraycopy(script, 0, prefixed, 0, script.length);
    System.arraycopy(zip, 0, prefixed, script.length, zip.length);
    Path file = Files.write(dir.resolve("launch.jar"), prefixed);

    assertSameAsJdk(file, prefixed);
  }

  @Test
  void aTruncatedArchiveIsAnError() throws Exception {
    byte[] zip = Files.readAllBytes(infoZip());

    assertThatThrownBy(() -> ZipIndex.of(Arrays.copyOf(zip, zip.length - 10))).isInstanceOf(IOException.class)
        .hasMessageContaining("end of central directory");
    assertThatThrownBy(() -> ZipIndex.of(Arrays.copyOfRange(zip, 40, zip.length))).isInstanceOf(IOException.class);
  }

  /** An archive of a pom.properties and a MANIFEST.MF written by Info-ZIP's zip with {@code options}. */
  private Path infoZip(String... options) throws Exception {
    assumeThat(Path.of("/usr/bin/zip")).as("Info-ZIP zip (Debian package zip)").exists();
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("META-INF/maven/com.example/demo"));
    Files.writeString(tree.resolve("META-INF/maven/com.example/demo/pom.properties"),
        "groupId=com.example\nartifactId=demo\nversion=1.2.3\n");
    Files.writeString(tree.resolve("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\nImplementation-Title: demo\n");
    Path out = dir.resolve("out" + options.length + ".zip");
    Files.deleteIfExists(out);
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/zip", "-q", "-r"));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of(out.toString(), "META-INF"));
    Process p = new ProcessBuilder(cmd).directory(tree.toFile()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    return out;
  }

  private static void assertSameAsJdk(Path file, byte[] bytes) throws IOException {
    Map<String, byte[]> jdk = new LinkedHashMap<>();
    try (ZipFile zf = new ZipFile(file.toFile())) {
      for (ZipEntry e : Collections.list(zf.entries())) {
        try (InputStream in = zf.getInputStream(e)) {
          jdk.put(e.getName(), in.readAllBytes());
        }
      }
    }
    ZipIndex index = ZipIndex.of(bytes);
    Map<String, byte[]> ours = new LinkedHashMap<>();
    for (ZipIndex.Entry e : index.entries()) {
      try (InputStream in = index.open(e)) {
        byte[] data = in.readAllBytes();
        assertThat((long) data.length).as(e.name()).isEqualTo(e.size());
        ours.put(e.name(), data);
      }
    }
    assertThat(ours.keySet()).isNotEmpty().containsExactlyElementsOf(jdk.keySet());
    ours.forEach((name, data) -> assertThat(data).as(name).isEqualTo(jdk.get(name)));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}

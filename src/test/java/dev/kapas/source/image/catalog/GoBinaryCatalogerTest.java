package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.SoftwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go binaries, checked against {@code go version -m} on a binary this test builds with Debian's
 * Go: a module requiring another module that a {@code replace} points at a local directory (no
 * module proxy is reachable here), plus a requirement replaced by another module version.
 */
class GoBinaryCatalogerTest {
  @TempDir Path work;

  @Test
  void buildInfoMatchesGoVersionM() throws Exception {
    Path go = Oracle.require("go", "golang-go");
    Path greet = Files.createDirectories(work.resolve("src/greet"));
    Files.writeString(greet.resolve("go.mod"), "module example.com/greet\n\ngo 1.19\n");
    Files.writeString(greet.resolve("greet.go"), "package greet\n\nfunc Hello() string { return \"hello\" }\n");
    Path app = Files.createDirectories(work.resolve("src/app"));
    Files.writeString(app.resolve("go.mod"), """
        module example.com/app

        go 1.19

        require example.com/greet v1.2.3

        replace example.com/greet => ../greet
        """);
    Files.writeString(app.resolve("main.go"), """
        package main

        import (
        	"fmt"
        	"example.com/greet"
        )

        func main() { fmt.Println(greet.Hello()) }
        """);
    Path binary = work.resolve("image/usr/local/bin/app");
    Files.createDirectories(binary.getParent());
    Map<String, String> env = Map.of("GOPROXY", "off", "GOFLAGS", "-mod=mod", "GOCACHE", work.resolve("cache").toString(),
        "GOPATH", work.resolve("gopath").toString(), "CGO_ENABLED", "0");
    Oracle.run(app, env, go.toString(), "build", "-o", binary.toString(), ".");

    String oracle = Oracle.run(work, env, go.toString(), "version", "-m", binary.toString());
    List<String> expected = new ArrayList<>();
    String goVersion = oracle.lines().findFirst().orElseThrow().replaceFirst(".*: go", "");
    expected.add("stdlib@v" + goVersion);
    for (String line : oracle.lines().toList()) {
      String[] f = line.strip().split("\t");
      if (f[0].equals("mod") || f[0].equals("dep")) {
        expected.add(f[1] + "@" + f[2]);
      }
    }

    Catalog catalog = new Catalog().readTree(work.resolve("image"));

    assertThat(expected).contains("example.com/app@(devel)", "example.com/greet@v1.2.3");
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(catalog.packages()).filteredOn(p -> p.name().equals("example.com/greet")).singleElement()
        .extracting(SoftwarePackage::ecosystem, SoftwarePackage::purl, SoftwarePackage::path)
        .containsExactly("Go", "pkg:golang/example.com/greet@v1.2.3", "usr/local/bin/app");
  }

  @Test
  void otherExecutablesAreNotGoAndAPre118HeaderIsReported() throws Exception {
    Path bin = Files.createDirectories(work.resolve("image/bin"));
    byte[] notGo = new byte[600 << 10];
    System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F'}, 0, notGo, 0, 4);
    Files.write(bin.resolve("c-program"), notGo);
    // Go < 1.18: the header after the magic holds pointers (flags bit 2 clear)
    byte[] old = notGo.clone();
    byte[] magic = "\u00ff Go buildinf:".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    System.arraycopy(magic, 0, old, 4096, magic.length);
    old[4096 + 14] = 8;
    old[4096 + 15] = 0;
    Files.write(bin.resolve("old-go"), old);

    Catalog catalog = new Catalog().readTree(work.resolve("image"));

    assertThat(catalog.packages()).isEmpty();
    assertThat(catalog.problems()).singleElement().extracting(d -> d.file()).isEqualTo("bin/old-go");
  }
}

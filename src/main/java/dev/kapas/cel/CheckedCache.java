package dev.kapas.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelProtoAbstractSyntaxTree;
import dev.cel.expr.CheckedExpr;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Expressions that compiled before, kept type-checked on disk: parsing and checking with cel-java
 * (and building its environment to do so) is most of what custom rules cost a short scan, and
 * the same rules are scanned again and again. An entry is the expression's text and its checked
 * AST (cel-java's {@code CheckedExpr}); it is used only for exactly that text and only by the
 * build of kapas that wrote it (the key includes the jar's size and time), so an expression
 * compiles the same with or without it. Only expressions that compiled are kept: an error is
 * found, and worded, by cel-java every time. An entry that cannot be read is ignored and
 * rewritten; a directory that cannot be written leaves scans as they were, only slower.
 */
final class CheckedCache {
  private final Path dir;
  private final String stamp;

  /** Entries of build {@code stamp} under {@code base}, in a directory of that build's own. */
  CheckedCache(Path base, String stamp) {
    this.dir = base.resolve("build-" + stamp.replaceAll("[^A-Za-z0-9._-]", "_"));
    this.stamp = stamp;
  }

  /**
   * {@code <jar>.cel-checked/} beside kapas' jar, as the launcher keeps its class caches there;
   * null when kapas does not run from a jar, or {@code KAPAS_CDS=0} turns the caches off.
   */
  static CheckedCache besideJar() {
    if ("0".equals(System.getenv("KAPAS_CDS"))) {
      return null;
    }
    try {
      var source = KubeCel.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path jar = Path.of(source.getLocation().toURI());
      if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
        return null;
      }
      return new CheckedCache(jar.resolveSibling(jar.getFileName() + ".cel-checked"),
          Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
    } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
      return null;
    }
  }

  /** The checked AST of {@code expression}, if this build checked it before. */
  Optional<CelAbstractSyntaxTree> get(String expression) {
    Path file = file(expression);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      byte[] text = in.readNBytes(in.readInt());
      if (!new String(text, StandardCharsets.UTF_8).equals(expression)) {
        return Optional.empty();
      }
      CelProtoAbstractSyntaxTree checked = CelProtoAbstractSyntaxTree.fromCheckedExpr(CheckedExpr.parseFrom(in));
      return checked.isChecked() ? Optional.of(checked.getAst()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // truncated or garbled: compiled again, and written anew
    }
  }

  /** Keeps the checked AST of an expression that compiled. */
  void put(String expression, CelAbstractSyntaxTree ast) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      byte[] text = expression.getBytes(StandardCharsets.UTF_8);
      out.writeInt(text.length);
      out.write(text);
      CelProtoAbstractSyntaxTree.fromCelAst(ast).toCheckedExpr().writeTo(out);
      out.flush();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        dropOtherBuilds();
      }
      // written whole under another name, then renamed: a reader never sees half an entry
      Path tmp = Files.createTempFile(dir, "entry", ".tmp");
      try {
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file(expression), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // a directory kapas may not write: no cache
    }
  }

  /**
   * Deletes the entries of other builds, which no run of this build reads: without this they
   * would pile up beside a jar rebuilt again and again.
   */
  private void dropOtherBuilds() {
    try (java.util.stream.Stream<Path> builds = Files.list(dir.getParent())) {
      for (Path other : builds.filter(p -> !p.equals(dir) && p.getFileName().toString().startsWith("build-")).toList()) {
        try (java.util.stream.Stream<Path> entries = Files.list(other)) {
          for (Path entry : entries.toList()) {
            Files.deleteIfExists(entry);
          }
        }
        Files.deleteIfExists(other);
      }
    } catch (IOException | RuntimeException e) {
      // another run may be deleting them too; what is left goes next time
    }
  }

  private Path file(String expression) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((stamp + "\n").getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(sha.digest(expression.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

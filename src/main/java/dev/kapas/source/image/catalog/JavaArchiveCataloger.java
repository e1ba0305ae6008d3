package dev.kapas.source.image.catalog;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Java archives (jar, war, ear, and Jenkins' jpi/hpi), read once, with the archives nested in
 * them (Spring Boot's {@code BOOT-INF/lib}, a WAR's {@code WEB-INF/lib}, an EAR's modules): every
 * {@code META-INF/maven/G/A/pom.properties} is one Maven package {@code G:A}. An archive without
 * pom.properties is named from its MANIFEST ({@code Implementation-Vendor-Id}, {@code
 * Implementation-Version}/{@code Bundle-Version}) and its file name ({@code name-1.2.3.jar}).
 */
final class JavaArchiveCataloger implements Cataloger {
  private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
  private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^/]*)");
  private static final List<String> ARCHIVES = List.of(".jar", ".war", ".ear", ".jpi", ".hpi");
  private static final int MAX_DEPTH = 4;
  // what the archives nested in one file may inflate to: a zip bomb stops here
  private static final long MAX_INFLATED = 4L << 30;
  // archives up to this size are held in memory and read by their central directory
  private static final long INDEXED_MAX = 32L << 20;

  @Override
  public boolean wants(String path, long size) {
    return isArchive(path);
  }

  private static boolean isArchive(String name) {
    int dot = name.length() - 4;
    if (dot < 0 || name.charAt(dot) != '.') {
      return false;
    }
    for (String ext : ARCHIVES) {
      if (name.regionMatches(true, dot, ext, 0, 4)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    Map<String, Found> packages = new LinkedHashMap<>();
    archive(path, content, size, 0, packages, new long[1]);
    return Parsed.of(List.copyOf(packages.values()));
  }

  /**
   * Reads one archive of {@code size} bytes (-1: unknown). One that fits {@link #INDEXED_MAX} is
   * read into memory and opened by its central directory ({@link ZipIndex}), so only the entries
   * that name packages are inflated, not every class; a larger one, or one whose central directory
   * is missing (truncated) or does not hold together, is streamed entry by entry.
   */
  private static void archive(String name, InputStream in, long size, int depth, Map<String, Found> out, long[] inflated)
      throws IOException {
    if (size < 0 || size > INDEXED_MAX) {
      streamed(name, in, depth, out, inflated);
      return;
    }
    byte[] bytes = Limits.readAll(in, INDEXED_MAX);
    ZipIndex zip;
    try {
      zip = ZipIndex.of(bytes);
    } catch (IOException | RuntimeException e) {
      streamed(name, new ByteArrayInputStream(bytes), depth, out, inflated);
      return;
    }
    Contents found = new Contents(name, out);
    for (ZipIndex.Entry e : zip.entries()) {
      if (!e.isDirectory() && Contents.wanted(e.name(), depth)) {
        try (InputStream entry = zip.open(e)) {
          found.entry(e.name(), entry, e.size(), depth, inflated);
        }
      }
    }
    found.finish();
  }

  private static void streamed(String name, InputStream in, int depth, Map<String, Found> out, long[] inflated)
      throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    Contents found = new Contents(name, out);
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      if (!e.isDirectory() && Contents.wanted(e.getName(), depth)) {
        found.entry(e.getName(), zip, e.getSize(), depth, inflated);
      }
    }
    found.finish();
  }

  /** What the entries of one archive say, however they are reached. */
  private static final class Contents {
    private final String name;
    private final Map<String, Found> out;
    private Manifest manifest;
    private boolean hasPomProperties;

    Contents(String name, Map<String, Found> out) {
      this.name = name;
      this.out = out;
    }

    /** Whether {@link #entry} reads an entry of this name: the rest (classes, resources) are never opened. */
    static boolean wanted(String entry, int depth) {
      if (entry.startsWith("META-INF/") && (entry.equals("META-INF/MANIFEST.MF")
          || POM_PROPERTIES.matcher(entry).matches())) {
        return true;
      }
      return isArchive(entry) && depth < MAX_DEPTH;
    }

    // inflated[0] counts what the nested archives inflate to, all levels together
    void entry(String entry, InputStream in, long size, int depth, long[] inflated) throws IOException {
      if (POM_PROPERTIES.matcher(entry).matches()) {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(Limits.readAll(in, Limits.MANIFEST_BYTES)));
        String g = p.getProperty("groupId", "").strip();
        String a = p.getProperty("artifactId", "").strip();
        String v = p.getProperty("version", "").strip();
        if (!g.isEmpty() && !a.isEmpty() && !v.isEmpty()) {
          hasPomProperties = true;
          out.putIfAbsent(g + ":" + a + ":" + v, maven(g, a, v));
        }
      } else if (entry.equals("META-INF/MANIFEST.MF")) {
        manifest = new Manifest(new ByteArrayInputStream(Limits.readAll(in, Limits.MANIFEST_BYTES)));
      } else if (isArchive(entry) && depth < MAX_DEPTH) {
        archive(entry, new Nested(in, inflated), size, depth + 1, out, inflated);
      }
    }

    void finish() {
      if (!hasPomProperties && manifest != null) {
        fromManifest(name, manifest.getMainAttributes(), out);
      }
    }
  }

  private static void fromManifest(String archiveName, Attributes m, Map<String, Found> out) {
    String file = archiveName.substring(archiveName.lastIndexOf('/') + 1).replaceAll("(?i)\\.[jwe]ar$|\\.[jh]pi$", "");
    Matcher nv = NAME_VERSION.matcher(file);
    String artifact = nv.matches() ? nv.group(1) : file;
    String version = first(m.getValue("Implementation-Version"), m.getValue("Bundle-Version"),
        nv.matches() ? nv.group(2) : null);
    if (version.isEmpty() || artifact.isEmpty()) {
      return; // neither a version nor a name to match advisories with
    }
    String group = first(m.getValue("Implementation-Vendor-Id"));
    out.putIfAbsent(group + ":" + artifact + ":" + version, maven(group, artifact, version));
  }

  private static Found maven(String group, String artifact, String version) {
    String name = group.isEmpty() ? artifact : group + ":" + artifact;
    // a Maven purl needs a namespace: without a known groupId, Syft's guess (the artifactId) stands in
    return Found.library("maven", group.isEmpty() ? artifact : group, artifact, name, version);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return "";
  }

  /** A nested archive's bytes: reading it must not close the outer one, and a zip bomb stops at {@link #MAX_INFLATED}. */
  private static final class Nested extends FilterInputStream {
    private final long[] inflated;

    Nested(InputStream in, long[] inflated) {
      super(in);
      this.inflated = inflated;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(n, 0));
      return n;
    }

    @Override
    public void close() {}

    private void count(int n) throws IOException {
      inflated[0] += n;
      if (inflated[0] > MAX_INFLATED) {
        throw new IOException("nested archives inflate to more than " + (MAX_INFLATED >> 30) + " GiB; stopped reading");
      }
    }
  }
}

package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Installed Python distributions: {@code NAME.dist-info/METADATA} (wheels, PEP 376/566), {@code
 * NAME.egg-info/PKG-INFO} and the single-file {@code NAME.egg-info} (setuptools), wherever they
 * are (site-packages, dist-packages, a {@code pip --target} tree). The header block is RFC 822
 * style: {@code Name:} and {@code Version:} until the first blank line.
 */
final class PythonCataloger implements Cataloger {

  @Override
  public boolean wants(String path, long size) {
    return path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO") || path.endsWith(".egg-info");
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    String name = "";
    String version = "";
    int nameLine = 0;
    String[] lines = new String(Limits.readAll(content, Limits.MANIFEST_BYTES), StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length && !lines[i].isBlank(); i++) {
      String line = lines[i].replace("\r", "");
      int colon = line.indexOf(':');
      if (colon <= 0 || line.startsWith(" ") || line.startsWith("\t")) {
        continue;
      }
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      if (key.equals("name") && name.isEmpty()) {
        name = line.substring(colon + 1).strip();
        nameLine = i + 1;
      } else if (key.equals("version") && version.isEmpty()) {
        version = line.substring(colon + 1).strip();
      }
    }
    if (name.isEmpty() || version.isEmpty()) {
      throw new IOException("metadata without " + (name.isEmpty() ? "Name" : "Version"));
    }
    return Parsed.of(List.of(Found.library("pypi", "", name, name, version).atLine(nameLine)));
  }
}

package dev.kapas.source.image.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Installed npm packages: the {@code package.json} at the top of each package directory in a
 * {@code node_modules} tree ({@code node_modules/NAME/} or {@code node_modules/@SCOPE/NAME/},
 * nested node_modules included) — what {@code npm ls --all} walks. package.json files deeper
 * inside a package (a {@code lib/package.json} marking a module type) are not packages.
 */
final class NpmCataloger implements Cataloger {
  private static final Pattern PACKAGE_JSON =
      Pattern.compile("(?:.*/)?node_modules/(?:@[^/]+/)?[^/@.][^/]*/package\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean wants(String path, long size) {
    return PACKAGE_JSON.matcher(path).matches();
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    JsonNode json = JSON.readTree(Limits.readAll(content, Limits.MANIFEST_BYTES));
    String name = json == null ? "" : json.path("name").asText("");
    String version = json == null ? "" : json.path("version").asText("");
    if (name.isEmpty() || version.isEmpty()) {
      return Parsed.of(List.of()); // a package.json without name or version is not an installed package
    }
    int slash = name.indexOf('/');
    String namespace = name.startsWith("@") && slash > 0 ? name.substring(0, slash) : "";
    String purlName = namespace.isEmpty() ? name : name.substring(slash + 1);
    return Parsed.of(List.of(Found.library("npm", namespace, purlName, name, version)));
  }
}

package dev.kapas.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenVEX statements: a {@code not_affected} or {@code fixed} statement about a vulnerability (and,
 * when it lists products, a package URL) suppresses the matching finding, with its justification.
 */
public record Vex(List<Statement> statements) {

  /** One statement; {@code products} empty means every product. */
  public record Statement(String vulnerability, List<String> products, String status, String justification) {}

  public static Vex read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
    if (root == null || !root.path("statements").isArray()) {
      throw new IOException("not an OpenVEX document: no `statements` array");
    }
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : root.path("statements")) {
      JsonNode v = s.path("vulnerability");
      String id = v.isTextual() ? v.asText() : v.path("name").asText(v.path("@id").asText(""));
      List<String> products = new ArrayList<>();
      for (JsonNode p : s.path("products")) {
        products.add(p.isTextual() ? p.asText() : p.path("@id").asText(""));
      }
      String why = s.path("justification").asText("");
      String impact = s.path("impact_statement").asText("");
      out.add(new Statement(id, products, s.path("status").asText(""),
          why.isEmpty() ? impact : (impact.isEmpty() ? why : why + ": " + impact)));
    }
    return new Vex(out);
  }

  /** Why {@code match} is suppressed, when a statement says it is not affected or fixed. */
  public Optional<String> suppression(VulnMatch match) {
    for (Statement s : statements) {
      boolean settled = s.status().equals("not_affected") || s.status().equals("fixed");
      boolean product = s.products().isEmpty() || s.products().stream().anyMatch(p -> samePackage(p, match.pkg().purl()));
      if (settled && product && match.ids().contains(s.vulnerability())) {
        return Optional.of("VEX " + s.status() + (s.justification().isEmpty() ? "" : ": " + s.justification()));
      }
    }
    return Optional.empty();
  }

  private static boolean samePackage(String product, String purl) {
    String a = product.replaceFirst("[?#].*$", "");
    String b = purl.replaceFirst("[?#].*$", "");
    return a.equals(b) || (!a.contains("@") && b.startsWith(a + "@"));
  }
}

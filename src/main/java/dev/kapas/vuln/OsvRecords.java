package dev.kapas.vuln;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads OSV JSON records; a record that is not valid OSV is refused with the reason. */
public final class OsvRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> EVENTS = Set.of("introduced", "fixed", "last_affected", "limit");

  private OsvRecords() {}

  /** A record kapas cannot use: not JSON, or missing what OSV requires. */
  public static final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRecordException(String message) {
      super(message);
    }
  }

  public static Advisory parse(byte[] json) throws InvalidRecordException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRecordException("unreadable: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRecordException("not a JSON object");
    }
    String id = text(root, "id");
    if (id.isEmpty()) {
      throw new InvalidRecordException("no `id`");
    }
    if (text(root, "modified").isEmpty()) {
      throw new InvalidRecordException(id + ": no `modified` date");
    }
    List<Advisory.Affected> affected = new ArrayList<>();
    for (JsonNode a : root.path("affected")) {
      JsonNode pkg = a.path("package");
      List<Advisory.Range> ranges = new ArrayList<>();
      for (JsonNode r : a.path("ranges")) {
        List<Advisory.Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
          e.fieldNames().forEachRemaining(kind -> {
            if (EVENTS.contains(kind) && e.get(kind).isTextual()) {
              events.add(new Advisory.Event(kind, e.get(kind).asText()));
            }
          });
        }
        if (text(r, "type").isEmpty()) {
          throw new InvalidRecordException(id + ": a range without `type`");
        }
        ranges.add(new Advisory.Range(text(r, "type"), events));
      }
      affected.add(new Advisory.Affected(text(pkg, "ecosystem"), text(pkg, "name"), ranges, strings(a.path("versions"))));
    }
    List<String> cvss = new ArrayList<>();
    String dbSeverity = text(root.path("database_specific"), "severity");
    for (JsonNode s : root.path("severity")) {
      String type = text(s, "type");
      if (type.startsWith("CVSS_V")) {
        cvss.add(text(s, "score"));
      } else if (type.equals("Ubuntu") && dbSeverity.isEmpty()) {
        dbSeverity = text(s, "score");
      }
    }
    String summary = text(root, "summary");
    if (summary.isEmpty()) {
      String details = text(root, "details").strip();
      int nl = details.indexOf('\n');
      summary = nl < 0 ? details : details.substring(0, nl);
    }
    return new Advisory(id, strings(root.path("aliases")), strings(root.path("upstream")), summary,
        text(root, "modified"), !text(root, "withdrawn").isEmpty(), cvss, dbSeverity, affected);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : "";
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      if (n.isTextual()) {
        out.add(n.asText());
      }
    }
    return out;
  }
}

package dev.kapas.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reading where findings about workloads landed, for the tests of {@code --images}. */
public final class WorkloadFindings {
  private WorkloadFindings() {}

  /** The 1-based line of the first line of {@code text} that contains {@code needle} after line {@code after}. */
  public static int lineOf(String text, String needle, int after) {
    String[] lines = text.split("\n");
    for (int i = after; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle + " not in the manifests");
  }

  /** {@code Kind/name:line path} of every finding of {@code rule} in a JSON report. */
  public static List<String> findings(JsonNode report, String rule) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      if (f.get("ruleId").asString().equals(rule)) {
        JsonNode o = f.get("object");
        out.add(o.get("kind").asString() + "/" + o.get("name").asString() + ":" + f.get("location").get("line").asInt()
            + " " + f.get("location").get("path").asString());
      }
    }
    return out;
  }
}

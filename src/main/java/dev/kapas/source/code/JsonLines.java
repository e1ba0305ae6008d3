package dev.kapas.source.code;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The line where each member of a JSON document starts, by JSON Pointer ({@code /packages/node_modules~1x}). */
final class JsonLines {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLines() {}

  /** One open object or array: the pointer to it, and for an array the index of its next element. */
  private static final class Frame {
    final String pointer;
    final boolean array;
    int next;

    Frame(String pointer, boolean array) {
      this.pointer = pointer;
      this.array = array;
    }
  }

  static Map<String, Integer> of(byte[] json) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    List<Frame> stack = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      String member = null;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        int line = p.currentTokenLocation().getLineNr();
        Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        if (t == JsonToken.FIELD_NAME) {
          member = top.pointer + "/" + p.currentName().replace("~", "~0").replace("/", "~1");
          lines.put(member, line);
          continue;
        }
        if (t.isStructEnd()) {
          stack.remove(stack.size() - 1);
          member = null;
          continue;
        }
        String here = member;
        member = null;
        if (top != null && top.array) {
          here = top.pointer + "/" + top.next++;
          lines.put(here, line);
        }
        if (t.isStructStart()) {
          stack.add(new Frame(here == null ? "" : here, t == JsonToken.START_ARRAY));
        }
      }
    }
    return lines;
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}

package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.KubeObject;
import java.util.HashMap;
import java.util.Map;

/** The admission request a scanned object would arrive in, as the CEL variables of a ValidatingAdmissionPolicy see it. */
public final class Admission {
  private Admission() {}

  /** The request a CREATE of {@code object} would be. */
  public static Map<String, Object> request(KubeObject object) {
    String group = group(object);
    String version = object.apiVersion().substring(object.apiVersion().indexOf('/') + 1);
    Map<String, Object> kind = Map.of("group", group, "version", version, "kind", object.kind());
    Map<String, Object> request = new HashMap<>();
    request.put("operation", "CREATE");
    request.put("kind", kind);
    request.put("name", object.name());
    request.put("namespace", Namespaces.namespaceOf(object).orElse(""));
    request.put("dryRun", false);
    return request;
  }

  /** {@code namespaceObject}: the object's Namespace when the scan read it, else null. */
  public static Object namespaceObject(KubeObject object, Inventory inventory) {
    return Namespaces.namespaceOf(object)
        .flatMap(ns -> inventory.find("Namespace", "", ns))
        .map(ns -> CelValues.of(ns.root()))
        .orElse(NullValue.NULL_VALUE);
  }

  /** The API group of an object ({@code ""} for the core group). */
  public static String group(KubeObject object) {
    return groupOf(object.apiVersion());
  }

  /** The API group of an {@code apiVersion} ({@code ""} for the core group). */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** Text on one line, for messages. */
  public static String oneLine(String text) {
    String stripped = text.strip();
    // most messages have one line already: no pattern to match for them
    return stripped.indexOf('\n') < 0 ? stripped : LINE_BREAK.matcher(stripped).replaceAll(" ");
  }

  private static final java.util.regex.Pattern LINE_BREAK = java.util.regex.Pattern.compile("\\s*\\n\\s*");
}

package dev.kapas.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.model.ScalarNode;
import dev.kapas.model.Severity;
import dev.kapas.source.manifest.JsonDocuments;
import dev.kapas.source.manifest.YamlTreeReader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers AdmissionReview v1 requests: the object goes through the judge (with the cluster as
 * cached, when there is one), and each unsuppressed finding is acted on as the namespace's
 * thresholds say (deny, warn, audit annotation). Has no side effects, so dry-run requests are
 * answered like any other.
 */
final class Webhook {
  static final String API_VERSION = "admission.k8s.io/v1";
  /** The API server may cut longer warnings; kapas keeps each one under this. */
  static final int MAX_WARNING = 250;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<Judge> judge;
  private final ClusterView cluster;
  private final Mode defaultMode;
  private final Severity defaultSeverity;
  private final Metrics metrics;
  private final Supplier<LocalDate> today;
  private final JsonDocuments documents = new JsonDocuments(YamlTreeReader.Limits.DEFAULT);

  /** What the webhook knows of the cluster: nothing when offline, else the informer cache. */
  interface ClusterView {
    /** The labels of a namespace; empty when unknown. */
    Optional<Map<String, String>> namespaceLabels(String namespace);

    /** The cached objects, indexed for {@link Judge#judge}. */
    Scope scope();

    /** Where the incoming object is said to be (as kapas cluster names it). */
    String origin(String kind, String namespace, String name);
  }

  Webhook(Supplier<Judge> judge, ClusterView cluster, Mode defaultMode, Severity defaultSeverity, Metrics metrics,
      Supplier<LocalDate> today) {
    this.judge = judge;
    this.cluster = cluster;
    this.defaultMode = defaultMode;
    this.defaultSeverity = defaultSeverity;
    this.metrics = metrics;
    this.today = today;
  }

  /** A request that is not an AdmissionReview v1; the message says what is wrong. */
  static final class BadReview extends Exception {
    BadReview(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The AdmissionReview response to {@code body}, as JSON. The body is read once, into the same
   * tree a scan reads (the request's fields and the object in it); Jackson reads it again only to
   * say why a body kapas cannot read is wrong.
   */
  byte[] review(byte[] body) throws BadReview {
    long start = System.nanoTime();
    Optional<Node> parsed = documents.read(body);
    if (parsed.isEmpty() || !(parsed.get() instanceof MapNode review)) {
      throw unreadable(body);
    }
    String apiVersion = text(review.get("apiVersion"));
    String kind = text(review.get("kind"));
    if (!API_VERSION.equals(apiVersion) || !"AdmissionReview".equals(kind)) {
      throw new BadReview("not an AdmissionReview " + API_VERSION + " (apiVersion `" + apiVersion
          + "`, kind `" + kind + "`); register the webhook with admissionReviewVersions: [v1]");
    }
    Node request = review.get("request");
    String uid = text(request.get("uid"));
    if (uid.isEmpty()) {
      throw new BadReview("the AdmissionReview has no request.uid");
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("uid", uid);
    Node object = request.get("object");
    String operation = text(request.get("operation"));
    if (!(object instanceof MapNode map) || operation.equals("DELETE") || operation.equals("CONNECT")
        || !text(request.get("subResource")).isEmpty()) {
      // nothing to judge: a deletion, a connection, a status or scale update
      response.put("allowed", true);
      metrics.admission("allowed", List.of(), System.nanoTime() - start);
      return answer(response);
    }
    KubeObject incoming = incoming(map, request, text(request.get("namespace")));
    Mode.Thresholds thresholds = Mode.Thresholds.of(
        incoming.namespace().isEmpty() ? Optional.empty() : cluster.namespaceLabels(incoming.namespace()),
        defaultMode, defaultSeverity);
    List<Finding> findings = judge.get().judge(incoming, cluster.scope(), today.get());
    List<String> denied = new ArrayList<>();
    ArrayNode warnings = JSON.createArrayNode();
    thresholds.problems().forEach(p -> warnings.add(cut("kapas: " + p)));
    List<String> audited = new ArrayList<>();
    List<List<String>> hits = new ArrayList<>();
    for (Finding f : findings) {
      String action = "none";
      if (thresholds.of(Mode.AUDIT).filter(f.severity()::atLeast).isPresent()) {
        audited.add(f.ruleId() + " (" + f.severity().label() + "): " + f.message());
        action = "audit";
      }
      if (thresholds.of(Mode.WARN).filter(f.severity()::atLeast).isPresent()) {
        warnings.add(cut("kapas " + f.ruleId() + " (" + f.severity().label() + "): " + f.message()));
        action = "warn";
      }
      if (thresholds.of(Mode.ENFORCE).filter(f.severity()::atLeast).isPresent()) {
        denied.add("- " + f.ruleId() + " (" + f.severity().label() + ")" + at(f) + ": " + f.message());
        action = "deny";
      }
      hits.add(List.of(f.ruleId(), action));
    }
    response.put("allowed", denied.isEmpty());
    if (!denied.isEmpty()) {
      ObjectNode status = response.putObject("status");
      status.put("code", 403);
      status.put("reason", "Forbidden");
      status.put("message", "kapas denied " + incoming.ref().display() + " (" + Mode.ENFORCE.label() + ": "
          + thresholds.of(Mode.ENFORCE).orElseThrow().label() + "):\n" + String.join("\n", denied));
    }
    if (!warnings.isEmpty()) {
      response.set("warnings", warnings);
    }
    if (!audited.isEmpty()) {
      response.putObject("auditAnnotations").put("findings", String.join("; ", audited));
    }
    String verdict = !denied.isEmpty() ? "denied" : findings.stream().anyMatch(f ->
        thresholds.of(Mode.WARN).filter(f.severity()::atLeast).isPresent()) ? "warned" : "allowed";
    metrics.admission(verdict, hits, System.nanoTime() - start);
    return answer(response);
  }

  /** The object as a kapas object: its namespace and type filled in from the request when the object leaves them out. */
  private KubeObject incoming(MapNode object, Node request, String namespace) throws BadReview {
    List<String> keys = new ArrayList<>(object.size() + 2);
    List<Node> values = new ArrayList<>(object.size() + 2);
    Node type = request.get("kind");
    if (object.get("apiVersion").isNull()) {
      String group = text(type.get("group"));
      keys.add("apiVersion");
      values.add(new ScalarNode((group.isEmpty() ? "" : group + "/") + text(type.get("version")), false, 0, 0));
    }
    if (object.get("kind").isNull()) {
      keys.add("kind");
      values.add(new ScalarNode(text(type.get("kind")), false, 0, 0));
    }
    for (MapNode.Entry e : object.entries()) {
      if (keys.contains(e.key())) {
        continue;  // a null apiVersion or kind, filled in above
      }
      keys.add(e.key());
      values.add(e.key().equals("metadata") && e.value() instanceof MapNode metadata && !namespace.isEmpty()
          && text(metadata.get("namespace")).isEmpty() ? inNamespace(metadata, namespace) : e.value());
    }
    MapNode map = new MapNode(keys, values, object.line(), object.column());
    KubeObject bare = new KubeObject(map, new Origin("", 1, 0, 0));
    return new KubeObject(map, new Origin(cluster.origin(bare.kind(), bare.namespace(), bare.name()), 1, 0, 0));
  }

  /** {@code metadata} with {@code namespace} set. */
  private static MapNode inNamespace(MapNode metadata, String namespace) {
    List<String> keys = new ArrayList<>(metadata.size() + 1);
    List<Node> values = new ArrayList<>(metadata.size() + 1);
    for (MapNode.Entry e : metadata.entries()) {
      if (!e.key().equals("namespace")) {
        keys.add(e.key());
        values.add(e.value());
      }
    }
    keys.add("namespace");
    values.add(new ScalarNode(namespace, false, 0, 0));
    return new MapNode(keys, values, metadata.line(), metadata.column());
  }

  /** Why kapas cannot read {@code body}: not JSON, not an object, or beyond what kapas reads of JSON. */
  private static BadReview unreadable(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return new BadReview("the body is not JSON: " + firstLine(e));
    }
    if (json == null || !json.isObject()) {
      return new BadReview("the body is not a JSON object");
    }
    return new BadReview("the body is JSON kapas does not read: a key given twice, nesting deeper than 512 levels or a string "
        + "longer than 4 Mi characters");
  }

  /** A scalar's text; empty for null, missing, a map or a list. */
  private static String text(Node node) {
    return node.text().orElse("");
  }

  private static String at(Finding f) {
    String path = f.location().path();
    return path == null || path.isEmpty() ? "" : " at " + path;
  }

  private static String cut(String warning) {
    return warning.length() <= MAX_WARNING ? warning : warning.substring(0, MAX_WARNING - 3) + "...";
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static byte[] answer(ObjectNode response) {
    ObjectNode out = JSON.createObjectNode();
    out.put("apiVersion", API_VERSION);
    out.put("kind", "AdmissionReview");
    out.set("response", response);
    try {
      return JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

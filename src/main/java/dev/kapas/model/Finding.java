package dev.kapas.model;

/**
 * One failed check: which rule, how severe (after the user's overrides), what was seen, about
 * which object and where. A suppressed finding keeps the reason it was accepted ({@code
 * suppression} is empty for an active finding). {@code subjectFile} is the file its object or fact
 * came from, which identifies the subject; it differs from the location's file only for a fact
 * read from several files (the kubelet: its flags from the command line, its settings from its
 * config file). {@code error} marks a rule that failed to evaluate on the object rather than a
 * check that failed.
 */
public record Finding(
    String ruleId,
    Severity severity,
    String message,
    ObjectRef object,
    Location location,
    String suppression,
    String subjectFile,
    boolean error) {

  public Finding(String ruleId, Severity severity, String message, ObjectRef object, Location location,
      String suppression, String subjectFile) {
    this(ruleId, severity, message, object, location, suppression, subjectFile, false);
  }

  public Finding(String ruleId, Severity severity, String message, ObjectRef object, Location location,
      String suppression) {
    this(ruleId, severity, message, object, location, suppression, location.file());
  }

  public static Finding of(String ruleId, Severity severity, String message, ObjectRef object,
      Location location) {
    return new Finding(ruleId, severity, message, object, location, "");
  }

  /** Identifies the object within a scan; equals {@link KubeObject#key()} of the object. */
  public String objectKey() {
    return KubeObject.key(subjectFile, object);
  }

  /**
   * The same identity as {@link #objectKey()}, cheaper to build and hash when only equality
   * matters (counting the objects a rule failed on, over tens of thousands of findings).
   */
  public Object objectIdentity() {
    return new Identity(subjectFile, object);
  }

  private record Identity(String file, ObjectRef object) {
    // written out: a record's own equals and hashCode are made at run time (ObjectMethods'
    // bootstrap), which no class cache holds: a dozen method-handle classes spun on first use,
    // 10-30 ms of a small scan
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && java.util.Objects.equals(file, other.file) && object.equals(other.object);
    }

    @Override
    public int hashCode() { // the record's own hash
      return 31 * java.util.Objects.hashCode(file) + object.hashCode();
    }
  }

  public boolean suppressed() {
    return !suppression.isEmpty();
  }

  public Finding withSeverity(Severity newSeverity) {
    return new Finding(ruleId, newSeverity, message, object, location, suppression, subjectFile, error);
  }

  public Finding suppressedBecause(String reason) {
    return new Finding(ruleId, severity, message, object, location, reason, subjectFile, error);
  }

  /**
   * {@code fail}, {@code error} (the rule could not be evaluated on the object: a custom rule's
   * expression failed at run time) or {@code suppressed}, as the JSON report spells it.
   */
  public String status() {
    return suppressed() ? "suppressed" : error ? "error" : "fail";
  }
}

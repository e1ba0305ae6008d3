package dev.kapas.vuln.version;

/** A version string the ecosystem's own tool would refuse; the message names it. */
public final class InvalidVersionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidVersionException(String ecosystem, String version) {
    super("`" + version + "` is not a valid " + ecosystem + " version");
  }
}

package dev.kapas.policy;

/** A mistake in the user's configuration, with file and line: the scan does not start (exit 2). */
public final class ConfigException extends Exception {
  private final String file;
  private final int line;

  public ConfigException(String file, int line, String message) {
    super(message);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** {@code file:line: message}. */
  public String display() {
    return file + (line > 0 ? ":" + line : "") + ": " + getMessage();
  }
}

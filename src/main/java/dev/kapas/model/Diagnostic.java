package dev.kapas.model;

/**
 * A sentence about an input, anchored at file:line (line 0 when it concerns the whole input):
 * an input error (something could not be read) or a note (something was skipped on purpose).
 */
public record Diagnostic(String file, int line, int column, String message) {

  public static Diagnostic ofFile(String file, String message) {
    return new Diagnostic(file, 0, 0, message);
  }

  /** {@code file:line:column: message}, as compilers print it. */
  public String display() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(message).toString();
  }
}

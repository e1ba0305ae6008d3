package dev.kapas.cel;

/** An expression that does not compile: cel-java's message, and the line (1-based) within the expression. */
public final class CelCompileError extends Exception {
  private final int line;

  CelCompileError(String message, int line) {
    super(message, null, false, false);
    this.line = line;
  }

  public int line() {
    return line;
  }
}

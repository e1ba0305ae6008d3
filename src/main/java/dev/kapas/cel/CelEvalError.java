package dev.kapas.cel;

/** An expression that failed while it ran on one input (no such key, a bad quantity, the cost limit). */
public final class CelEvalError extends Exception {
  CelEvalError(String message) {
    super(message, null, false, false);
  }
}

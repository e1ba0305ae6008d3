package dev.kapas.cel;

/** An error raised by a Kubernetes library function while an expression runs (a bad IP string, say). */
final class CelRuntimeError extends RuntimeException {
  CelRuntimeError(String message) {
    super(message, null, false, false);
  }
}

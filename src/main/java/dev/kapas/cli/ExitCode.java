package dev.kapas.cli;

/** Exit codes of every command (DESIGN.md). */
public enum ExitCode {
  /** Scan finished; nothing at or above the threshold. */
  OK(0),
  /** Findings at or above the threshold. */
  FINDINGS(1),
  /** Usage or config error: nothing was scanned. */
  USAGE(2),
  /** Some inputs could not be read; the rest were scanned. Wins over FINDINGS. */
  INPUT_ERROR(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

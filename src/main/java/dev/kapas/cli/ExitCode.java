package dev.kapas.cli;

/** Exit codes of every command (DESIGN.md). */
public enum ExitCode {
  /** Scan finished; nothing at or above the threshold. */
  OK(0, "nothing at or above --fail-on"),
  /** Findings at or above the threshold. */
  FINDINGS(1, "findings at or above --fail-on"),
  /** Usage or config error: nothing was scanned. */
  USAGE(2, "usage or config error (nothing scanned), or a report could not be written"),
  /** Some inputs could not be read; the rest were scanned. Wins over FINDINGS. */
  INPUT_ERROR(3, "some inputs could not be read or parsed, the rest were scanned (wins over 1)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** What the code means, as `--help` and README's table say it. */
  public String meaning() {
    return meaning;
  }

  /** The sentence the usage of {@code kapas} and {@code kapas scan} ends with. */
  static String help() {
    StringBuilder text = new StringBuilder("Exit codes:");
    for (ExitCode c : values()) {
      text.append(c == OK ? " " : "; ").append(c.code).append(' ').append(c.meaning);
    }
    return text.append('.').toString();
  }

  public int code() {
    return code;
  }
}

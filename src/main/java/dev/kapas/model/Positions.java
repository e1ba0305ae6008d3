package dev.kapas.model;

/** Packs a line and a column into one long, so that a million nodes cost one field each. */
final class Positions {
  private Positions() {}

  static long pack(int line, int column) {
    return ((long) line << 32) | (column & 0xffffffffL);
  }

  static int line(long packed) {
    return (int) (packed >>> 32);
  }

  static int column(long packed) {
    return (int) packed;
  }
}

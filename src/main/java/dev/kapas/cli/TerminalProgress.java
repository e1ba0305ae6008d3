package dev.kapas.cli;

import dev.kapas.source.Progress;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress counter on stderr, only on a terminal and only for long inputs. */
final class TerminalProgress implements Progress {
  private static final int MIN_TOTAL = 50;
  private final PrintWriter err;
  private final boolean enabled;
  private final String unit;
  private final int minTotal;
  private final AtomicInteger done = new AtomicInteger();
  private volatile String what = "";
  private volatile int total;

  TerminalProgress(PrintWriter err, boolean interactive) {
    this(err, interactive, "files");
  }

  /** Counts {@code unit} (files, ports) instead of files. */
  TerminalProgress(PrintWriter err, boolean interactive, String unit) {
    this(err, interactive, unit, MIN_TOTAL);
  }

  /** Shown from {@code minTotal} units on (a cluster has few kinds, each slow to list). */
  TerminalProgress(PrintWriter err, boolean interactive, String unit, int minTotal) {
    this.err = err;
    this.enabled = interactive;
    this.unit = unit;
    this.minTotal = minTotal;
  }

  @Override
  public void start(String label, int count) {
    this.what = label;
    this.total = count;
    done.set(0);
  }

  @Override
  public void advance() {
    int n = done.incrementAndGet();
    if (enabled && total >= minTotal && (total < MIN_TOTAL || n % 10 == 0 || n == total)) {
      synchronized (err) {
        err.printf("\r%s: %d/%d %s", what, n, total, unit);
        err.flush();
      }
    }
  }

  @Override
  public void done() {
    if (enabled && total >= minTotal) {
      synchronized (err) {
        err.print("\r\u001b[K");
        err.flush();
      }
    }
  }
}

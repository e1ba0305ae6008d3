package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Reads one kind of package record (a package database, a manifest, a binary) from one file. */
interface Cataloger {

  /** true when {@code path} (relative, '/'-separated) is a file this cataloger reads. */
  boolean wants(String path, long size);

  /**
   * Reads the packages {@code content} declares. A problem that spoils the whole file is an
   * {@link IOException} whose message is a plain sentence; problems with parts of it go into
   * {@link Parsed#problems()} beside what could be read.
   */
  Parsed read(String path, InputStream content, long size) throws IOException;

  /** What one file yields: packages, and sentences about parts that could not be read (with their line, 0 if none). */
  record Parsed(List<Found> packages, List<LineProblem> problems) {
    static Parsed of(List<Found> packages) {
      return new Parsed(List.copyOf(packages), List.of());
    }
  }

  record LineProblem(int line, String message) {}
}

package dev.kapas.model;

/**
 * Where an object came from: a file (as the user named it, or {@code -} for stdin), which
 * document of that file (1-based), and the line and column the object starts at.
 */
public record Origin(String file, int document, int line, int column) {}

package dev.kapas.model;

/** Where a finding points: file, 1-based line and column, and the field path in the object. */
public record Location(String file, int line, int column, String path) {}

package dev.kapas.source.node;

import dev.kapas.model.Location;

/**
 * One flag as written on a command line: its name without dashes, its value ({@code true} for a
 * bare boolean flag) and where it was written (a manifest line, or a process's command line).
 */
public record Flag(String name, String value, Location at) {}

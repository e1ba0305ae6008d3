package dev.kapas.model;

import java.util.Map;

/**
 * A fact that machine-readable reports list beside the findings, so that what was observed (an
 * open port and what answered, not only what a rule made of it) reaches other tools. The JSON
 * report writes each under the top-level array {@link #reportSection()}, in inventory order.
 * Values are strings, numbers, booleans, lists and maps of these; a fact never reports anything
 * secret (no response bodies).
 */
public interface ReportedFact extends Fact {
  /** The top-level array of the JSON report it goes in, such as {@code probes}. */
  String reportSection();

  /** Its fields, in the order they are written. */
  Map<String, Object> reportFields();

  /** What the table report's header counts it as: {@code port}, {@code URL} (singular). */
  String reportNoun();

  /** The host it was observed on, for the header's host count; empty when it is not a network fact. */
  default String reportHost() {
    return "";
  }
}

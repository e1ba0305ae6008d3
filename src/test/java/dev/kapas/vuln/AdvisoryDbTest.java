package dev.kapas.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database built from the real fixture records by {@link DbBuilder} answers lookups exactly as
 * the records themselves do, one name at a time and in batches larger than one query takes; the
 * compact form it keeps of each record decodes to the record as parsed.
 */
class AdvisoryDbTest {
  @TempDir
  static Path dir;

  static List<Advisory> records;

  @BeforeAll
  static void build() throws Exception {
    records = OsvFixtures.all();
    new DbBuilder(dir, Clock.systemUTC(), s -> { }).build(List.of(OsvFixtures.ADVISORIES.toString()), false);
  }

  /** Every (ecosystem, looked-up name) the records name, in record order. */
  private static Map<String, Set<String>> namesByEcosystem() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (Advisory a : records) {
      for (Advisory.Affected af : a.affected()) {
        if (!af.name().isEmpty()) {
          out.computeIfAbsent(af.ecosystem(), e -> new LinkedHashSet<>()).add(Matcher.lookupName(
              DbBuilder.baseEcosystem(af.ecosystem()), af.name()));
        }
      }
    }
    return out;
  }

  @Test
  void eachNameGivesTheRecordsThatNameIt() throws Exception {
    AdvisoryLookup expected = OsvFixtures.lookup();
    int checked = 0;
    try (AdvisoryDb db = AdvisoryDb.open(dir)) {
      for (Map.Entry<String, Set<String>> e : namesByEcosystem().entrySet()) {
        for (String name : e.getValue()) {
          List<Advisory> want = expected.advisories(e.getKey(), name);
          assertThat(want).isNotEmpty();
          assertThat(db.advisories(e.getKey(), name)).as(e.getKey() + " " + name)
              .containsExactlyInAnyOrderElementsOf(want);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void aBatchLargerThanOneQueryGivesWhatEachNameGives() throws Exception {
    try (AdvisoryDb db = AdvisoryDb.open(dir)) {
      for (Map.Entry<String, Set<String>> e : namesByEcosystem().entrySet()) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
          names.add("no-such-package-" + i); // 1,200 names: three queries, the last one padded
        }
        int at = 0;
        for (String name : e.getValue()) {
          names.add(Math.min(at, names.size()), name);
          at += 500; // the real names fall in each of the queries
        }
        names.addAll(e.getValue());
        Map<String, List<Advisory>> one = new HashMap<>();
        for (String name : e.getValue()) {
          one.put(name, db.advisories(e.getKey(), name));
        }
        Map<String, List<Advisory>> batch = db.advisories(e.getKey(), names);
        assertThat(batch).as(e.getKey()).isEqualTo(one);
      }
    }
  }

  @Test
  void infoCountsTheRecordsOfEachEcosystemAcrossImports(@TempDir Path other) throws Exception {
    DbBuilder builder = new DbBuilder(other, Clock.systemUTC(), s -> { });
    builder.build(List.of(OsvFixtures.ADVISORIES.resolve("npm").toString()), false);
    builder.build(List.of(OsvFixtures.ADVISORIES.resolve("Maven").toString()), true);
    builder.build(List.of(OsvFixtures.ADVISORIES.resolve("npm").toString()), true); // again: replaces, adds nothing
    Map<String, Long> expected = new java.util.TreeMap<>();
    for (Advisory a : records) {
      String eco = DbBuilder.baseEcosystem(a.affected().get(0).ecosystem());
      if (eco.equals("npm") || eco.equals("Maven")) {
        expected.merge(eco, 1L, Long::sum);
      }
    }
    try (AdvisoryDb db = AdvisoryDb.open(other)) {
      assertThat(db.info().recordsByEcosystem()).isEqualTo(expected);
    }
  }

  @Test
  void theCompactFormDecodesToTheParsedRecord() throws Exception {
    for (Advisory a : records) {
      assertThat(AdvisoryCodec.decode(AdvisoryCodec.encode(a))).isEqualTo(a);
    }
  }

  @Test
  void aTruncatedCompactFormIsRefusedNotMisread() {
    byte[] whole = AdvisoryCodec.encode(records.get(0));
    for (int n : new int[] {0, 1, 5, whole.length / 2, whole.length - 1}) {
      assertThatThrownBy(() -> AdvisoryCodec.decode(Arrays.copyOf(whole, n))).isInstanceOf(IOException.class);
    }
  }
}

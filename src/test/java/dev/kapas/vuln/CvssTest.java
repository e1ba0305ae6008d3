package dev.kapas.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Base scores of the CVSS v3.1 specification's examples document (FIRST, "CVSS v3.1 Examples"). */
class CvssTest {

  @ParameterizedTest
  @CsvSource({
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8", // CVE-2014-6271 style network RCE
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0", // Log4Shell's vector
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1", // examples: phpMyAdmin reflected XSS (CVE-2013-1937)
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N, 7.5", // examples: OpenSSL Heartbleed (CVE-2014-0160)
    "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0",
    "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H, 8.1",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6",
  })
  void baseScoreAsTheSpecificationComputesIt(String vector, double expected) {
    assertThat(Cvss.baseScore(vector)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "CVSS:3.1/AV:N", "garbage"})
  void unscorableVectorsGiveNothing(String vector) {
    assertThat(Cvss.baseScore(vector)).isEmpty();
  }
}

package dev.kapas.rules.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(textBlock = """
      0.0.0.0/0,        169.254.169.254/32, true
      169.254.0.0/16,   169.254.169.254,    true
      169.254.169.0/30, 169.254.169.254/32, false
      169.254.169.252/30, 169.254.169.254/32, true
      10.0.0.0/8,       169.254.169.254/32, false
      10.1.2.3/8,       10.200.0.0/16,      true
      10.0.0.0/16,      10.0.0.0/8,         false
      ::/0,             fd00:ec2::254/128,  true
      fd00::/8,         fd00:ec2::254,      true
      fe80::/10,        fd00:ec2::254/128,  false
      ::/0,             169.254.169.254/32, false
      0.0.0.0/0,        fd00:ec2::254/128,  false
      """)
  void contains(String network, String address, boolean expected) {
    assertThat(Cidr.parse(network).orElseThrow().contains(Cidr.parse(address).orElseThrow())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      ''
      metadata.google.internal
      10.0.0.0/33
      10.0.0/8
      ::/129
      1.2.3.4/x
      """)
  void refusesWhatIsNoCidrWithoutResolvingNames(String text) {
    assertThat(Cidr.parse(text)).isEmpty();
  }
}

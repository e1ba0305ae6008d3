package dev.kapas.rules.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPathMountsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(textBlock = """
      /etc,                        /etc
      /etc/,                       /etc
      //etc//ssl/,                 /etc/ssl
      /,                           /
      '',                          /
      /var/run,                    /run
      /var/run/docker.sock,        /run/docker.sock
      /var/running,                /var/running
      /var/lib/../run/x,           /run/x
      /dev/../dev/./kmsg,          /dev/kmsg
      /../../etc,                  /etc
      /var/run/..,                 /var
      """)
  void normalises(String path, String expected) {
    assertThat(HostPathMounts.normalise(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} under {1}: {2}")
  @CsvSource(textBlock = """
      /etc,          /etc,   true
      /etc/ssl,      /etc,   true
      /etcetera,     /etc,   false
      /,             /etc,   false
      /anything,     /,      true
      /var/lib,      /var/lib/kubelet, false
      """)
  void isAtOrBelow(String path, String dir, boolean expected) {
    assertThat(HostPathMounts.isAtOrBelow(path, dir)).isEqualTo(expected);
  }
}

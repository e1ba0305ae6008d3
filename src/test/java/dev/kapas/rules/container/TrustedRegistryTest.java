package dev.kapas.rules.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedRegistryTest {

  @ParameterizedTest(name = "{0} trusts {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      docker.io                      | nginx                                   | true
      docker.io                      | bitnami/redis                           | true
      index.docker.io                | nginx                                   | true
      docker.io/library              | nginx:1.27                              | true
      docker.io/library              | bitnami/redis                           | false
      ghcr.io/acme                   | ghcr.io/acme/app                        | true
      ghcr.io/acme/                  | ghcr.io/acme/tools/cli                  | true
      ghcr.io/acme                   | ghcr.io/acmecorp/app                    | false
      ghcr.io/acme                   | ghcr.io/other/acme                      | false
      registry.example.com           | REGISTRY.example.com/app                | true
      registry.example.com           | registry.example.com:5000/app           | false
      registry.example.com:5000      | registry.example.com:5000/app           | true
      registry.example.com           | registry.example.com.evil.io/app        | false
      *.example.org                  | reg.example.org/app                     | true
      *.example.org                  | reg.example.org:5000/app                | true
      *.example.org                  | example.org/app                         | false
      *.example.org                  | evilexample.org/app                     | false
      localhost:5000                 | localhost:5000/app                      | true
      localhost                      | localhost:5000/app                      | false
      [::1]:5000                     | [::1]:5000/app                          | true
      """)
  void matches(String entry, String image, boolean expected) {
    assertThat(ImageRegistryUntrusted.trusts(entry, ImageRef.parseOrThrow(image))).isEqualTo(expected);
  }
}

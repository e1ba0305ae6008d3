package dev.kapas.rules.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
  private static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      nginx                               | docker.io        | library/nginx      | -       | -
      nginx:1.27                          | docker.io        | library/nginx      | 1.27    | -
      nginx:latest                        | docker.io        | library/nginx      | latest  | -
      docker.io/library/nginx             | docker.io        | library/nginx      | -       | -
      docker.io/nginx                     | docker.io        | library/nginx      | -       | -
      index.docker.io/library/nginx:1     | docker.io        | library/nginx      | 1       | -
      bitnami/redis:7.2                   | docker.io        | bitnami/redis      | 7.2     | -
      a/b/c                               | docker.io        | a/b/c              | -       | -
      localhost/app                       | localhost        | app                | -       | -
      localhost:5000/a/b:tag              | localhost:5000   | a/b                | tag     | -
      localhost:5000/app                  | localhost:5000   | app                | -       | -
      ghcr.io/org/app:v1.2.3-rc.1_x       | ghcr.io          | org/app            | v1.2.3-rc.1_x | -
      registry.k8s.io/pause:3.9           | registry.k8s.io  | pause              | 3.9     | -
      my-registry:443/team/app            | my-registry:443  | team/app           | -       | -
      Registry/app                        | Registry         | app                | -       | -
      [::1]:5000/app:1                    | [::1]:5000       | app                | 1       | -
      192.168.0.1:5000/app                | 192.168.0.1:5000 | app                | -       | -
      a__b/c--d/e.f_g                     | docker.io        | a__b/c--d/e.f_g    | -       | -
      localhost:5000                      | docker.io        | library/localhost  | 5000    | -
      """)
  void parsesAndNormalises(String text, String registry, String repository, String tag, String digest) {
    ImageRef ref = ImageRef.parseOrThrow(text);
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag == null ? "" : tag);
    assertThat(ref.digest()).isEqualTo(digest == null ? "" : digest);
  }

  @Test
  void tagAndDigestTogether() {
    ImageRef ref = ImageRef.parseOrThrow("localhost:5000/a/b:tag@" + SHA);
    assertThat(ref.registry()).isEqualTo("localhost:5000");
    assertThat(ref.repository()).isEqualTo("a/b");
    assertThat(ref.tag()).isEqualTo("tag");
    assertThat(ref.digest()).isEqualTo(SHA);
    assertThat(ref.hasDigest()).isTrue();
    assertThat(ref.pullsLatest()).isFalse();
    assertThat(ref).hasToString("localhost:5000/a/b:tag@" + SHA);
  }

  @Test
  void digestOnly() {
    ImageRef ref = ImageRef.parseOrThrow("nginx@" + SHA);
    assertThat(ref.name()).isEqualTo("docker.io/library/nginx");
    assertThat(ref.hasTag()).isFalse();
    assertThat(ref.pullsLatest()).as("a digest pins the image even without a tag").isFalse();
  }

  @Test
  void longerDigestAlgorithms() {
    assertThat(ImageRef.parse("app@sha512:" + "ab".repeat(64))).isPresent();
    assertThat(ImageRef.parse("app@sha384:" + "ab".repeat(48))).isPresent();
  }

  @Test
  void latestIsWhatTheKubeletPullsWithoutATag() {
    assertThat(ImageRef.parseOrThrow("nginx").pullsLatest()).isTrue();
    assertThat(ImageRef.parseOrThrow("nginx:latest").pullsLatest()).isTrue();
    assertThat(ImageRef.parseOrThrow("nginx:1.27").pullsLatest()).isFalse();
    assertThat(ImageRef.parseOrThrow("nginx:Latest").pullsLatest()).as("tags are case-sensitive").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "",
      "Nginx",                       // upper case in a Docker Hub repository
      "docker.io/library/Nginx",
      "ghcr.io/Org/app",             // upper case in a path under a registry
      "nginx:",                      // empty tag
      "nginx:-x",                    // a tag starts with a word character
      "nginx:a/b",
      "nginx@sha256:abc",            // digest too short
      "nginx@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
      "nginx@md5:0123456789abcdef0123456789abcdef", // unknown algorithm
      "nginx@",
      "nginx:1@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
      "-nginx",
      "nginx-",
      "ngi..nx",
      "a//b",
      "/nginx",
      "nginx/",
      "my_registry.io/app",          // underscore is not allowed in a host name
      "-bad.io/app",
      "localhost:port/app",
      "nginx 1.27",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  })
  void rejects(String text) {
    assertThat(ImageRef.parse(text)).isEmpty();
    assertThatThrownBy(() -> ImageRef.parseOrThrow(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theNormalisedNameMayNotExceed255Characters() {
    String fits = "a".repeat(255 - "docker.io/library/".length());
    assertThat(ImageRef.parse(fits)).isPresent();
    assertThat(ImageRef.parse(fits + "a")).as("docker.io/library/ counts").isEmpty();
    assertThat(ImageRef.parse(fits + "a:tag")).as("the tag does not count, the name does").isEmpty();
  }

  @Test
  void saysWhatIsWrong() {
    assertThatThrownBy(() -> ImageRef.parseOrThrow("Nginx")).hasMessageContaining("lowercase");
    assertThatThrownBy(() -> ImageRef.parseOrThrow("nginx@md5:" + "0".repeat(32)))
        .hasMessageContaining("unsupported digest algorithm");
  }
}

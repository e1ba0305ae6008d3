package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.source.image.ImageRef;
import org.junit.jupiter.api.Test;

/** policy-controller's glob semantics, case by case (from its documentation of ClusterImagePolicy globs). */
class ImagePolicyTest {
  private static boolean matches(String glob, String image) {
    return ImagePolicy.globMatches(glob, ImageRef.parse(image).orElseThrow(), image);
  }

  @Test
  void starStaysInASegmentAndDoubleStarCrossesThem() {
    assertThat(matches("registry.example/team/*", "registry.example/team/app")).as("no tag: :latest").isTrue();
    assertThat(matches("registry.example/team/*", "registry.example/teams/app:1")).isFalse();
    assertThat(matches("registry.example/team/*", "registry.example/team/app:1"))
        .as("`:` is no separator, so * takes the tag too").isTrue();
    assertThat(matches("registry.example/team/*", "registry.example/team/sub/app:1")).isFalse();
    assertThat(matches("registry.example/team/**", "registry.example/team/sub/app:1")).isTrue();
    assertThat(matches("registry.example/team/app:**", "registry.example/team/app@sha256:" + "a".repeat(64)))
        .as("pinned: the name is repo@digest").isFalse();
    assertThat(matches("registry.example/team/app@**", "registry.example/team/app@sha256:" + "a".repeat(64))).isTrue();
    assertThat(matches("registry.example/team/app:1.*", "registry.example/team/app:1.2")).isTrue();
    assertThat(matches("registry.example/team/app:1.*", "registry.example/team/app:102")).as("`.` is literal").isFalse();
  }

  @Test
  void dockerHubNamesAreFullyQualifiedAndBareStarsMeanDockerHub() {
    assertThat(matches("index.docker.io/library/*", "busybox")).as("busybox is index.docker.io/library/busybox:latest")
        .isTrue();
    assertThat(matches("*", "busybox:1.36")).isTrue();
    assertThat(matches("*", "registry.example/app:1")).isFalse();
    assertThat(matches("*/*", "myuser/myapp:1")).isTrue();
    assertThat(matches("index.docker.io/library/**", "docker.io/library/nginx:1")).isTrue();
    assertThat(matches("busybox*", "busybox")).as("tried as written too").isTrue();
  }

  @Test
  void notAGlob() {
    assertThat(ImagePolicy.compile("registry.example/[a-z]+")).isEmpty();
    assertThat(ImagePolicy.compile("registry.example/app?")).isEmpty();
    assertThat(ImagePolicy.compile("registry.example/app")).isPresent();
  }
}

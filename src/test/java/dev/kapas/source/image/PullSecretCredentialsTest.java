package dev.kapas.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry logins from image pull secrets, in the key forms kubectl create secret docker-registry
 * and older tools write (with and without scheme and path, legacy .dockercfg), tried before the
 * Docker config, after --username.
 */
class PullSecretCredentialsTest {
  @TempDir
  Path tmp;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String auth(String userPass) {
    return Base64.getEncoder().encodeToString(bytes(userPass));
  }

  @Test
  void keyFormsAndOrder() throws Exception {
    Path dockerConfig = tmp.resolve("config.json");
    Files.writeString(dockerConfig, "{\"auths\":{\"reg.example.com\":{\"auth\":\"" + auth("fromconfig:c") + "\"},"
        + "\"other.example.com\":{\"auth\":\"" + auth("configonly:o") + "\"}}}");
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    secrets.put("image pull secret shop/a", bytes("{\"auths\":{\"https://reg.example.com/v2/\":{\"auth\":\""
        + auth("pod:p") + "\"},\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"h\"}}}"));
    secrets.put("image pull secret shop/legacy", bytes("{\"http://127.0.0.1:5000\":{\"auth\":\"" + auth("old:l") + "\"}}"));
    Credentials c = Credentials.load(Optional.empty(), dockerConfig).withPullSecrets(secrets);
    assertThat(c.forRegistry("reg.example.com")).contains(new Credentials.Login("pod", "p"));
    assertThat(c.forRegistry(ImageRef.DOCKER_HUB)).contains(new Credentials.Login("hub", "h"));
    assertThat(c.forRegistry("127.0.0.1:5000")).contains(new Credentials.Login("old", "l"));
    assertThat(c.forRegistry("other.example.com")).as("the Docker config after the secrets")
        .contains(new Credentials.Login("configonly", "o"));
    assertThat(c.forRegistry("127.0.0.1:5001")).isEmpty();

    Credentials given = Credentials.load(Optional.of(new Credentials.Login("cli", "x")), dockerConfig)
        .withPullSecrets(secrets);
    assertThat(given.forRegistry("reg.example.com")).as("--username wins").contains(new Credentials.Login("cli", "x"));
  }

  @Test
  void aBrokenSecretIsNamedWithoutItsValue() throws Exception {
    Credentials c = Credentials.none().withPullSecrets(Map.of("image pull secret shop/bad",
        bytes("{\"auths\":{\"reg.example.com\":{\"auth\":\"%%not-base64-s3cr3t\"}}}")));
    assertThatThrownBy(() -> c.forRegistry("reg.example.com"))
        .hasMessage("image pull secret shop/bad: auths.reg.example.com.auth is not base64 of user:password")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> Credentials.none().withPullSecrets(Map.of("image pull secret shop/junk", bytes("nope"))))
        .hasMessageStartingWith("image pull secret shop/junk is not valid JSON");
  }
}

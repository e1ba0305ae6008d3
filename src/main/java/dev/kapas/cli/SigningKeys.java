package dev.kapas.cli;

import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.image.sign.TrustedKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --key FILE} of {@code kapas image}, {@code kapas scan --images} and {@code kapas cluster --images}. */
final class SigningKeys {
  @Option(names = "--key", paramLabel = "FILE",
      description = "A cosign public key (PEM: ECDSA, RSA or Ed25519) every image must carry a valid signature by "
          + "(container.image-unsigned, container.image-signature-invalid), besides the imagePolicy entries of "
          + ".kapas.yaml. Repeatable: any one key will do.")
  List<Path> keys = new ArrayList<>();

  /** {@code configured} with the keys required of every image, or empty after printing why a key file is unusable. */
  Optional<ImagePolicy> policy(ImagePolicy configured, Env env, String command) {
    List<TrustedKey> trusted = new ArrayList<>();
    for (Path k : keys) {
      try {
        trusted.add(TrustedKey.read(env.workingDir().resolve(k), k.toString()));
      } catch (ImageError e) {
        env.err().println(command + ": --key " + e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(configured.withKeys(trusted));
  }
}

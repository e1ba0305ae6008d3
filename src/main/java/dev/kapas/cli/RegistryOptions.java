package dev.kapas.cli;

import dev.kapas.source.image.Credentials;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageSource;
import dev.kapas.source.image.Platform;
import dev.kapas.source.image.RegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach registries, for every command that reads images: {@code kapas image}, {@code scan --images}, {@code cluster --images}. */
final class RegistryOptions {
  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Which image of a multi-platform index to read (default: linux/<this machine's architecture>).")
  String platform;

  @Option(names = "--username", paramLabel = "USER", description = "Registry user, for every registry named.")
  String username;

  @Option(names = "--password-stdin", description = "Read the registry password or token from stdin.")
  boolean passwordStdin;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Speak plain HTTP to this registry. Repeatable.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--ca-file", paramLabel = "FILE",
      description = "PEM certificates to trust besides the system's, for a registry with a private CA.")
  Path caFile;

  /**
   * What the options give: the platform, the client for the credentials given or configured, and
   * how to make one for other credentials (a pod's pull secrets).
   */
  record Registry(Platform platform, RegistryClient.Options options, Credentials credentials, RegistryClient client) {
    RegistryClient with(Credentials other) throws ImageError {
      return new RegistryClient(options, other);
    }

    /** The image collector every command reads images with. */
    ImageSource source(Env env) {
      return new ImageSource(client, platform, env.workingDir(), env.today());
    }
  }

  /** The registry setup, or empty after printing why the options cannot be used. */
  Optional<Registry> prepare(Env env, String command) {
    Optional<Platform> wanted = platform == null ? Optional.of(Platform.current()) : Platform.parse(platform);
    if (wanted.isEmpty()) {
      return usage(env, command,
          "--platform: `" + platform + "` is not OS/ARCH[/VARIANT], such as linux/amd64 or linux/arm64/v8");
    }
    if (passwordStdin != (username != null)) {
      return usage(env, command, "--username and --password-stdin go together");
    }
    Optional<Credentials.Login> login = Optional.empty();
    if (passwordStdin) {
      try {
        String secret = new String(env.in().readNBytes(1 << 16), StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
          return usage(env, command, "--password-stdin: stdin is empty");
        }
        login = Optional.of(new Credentials.Login(username, secret));
      } catch (IOException e) {
        return usage(env, command, "--password-stdin: cannot read stdin: " + e.getMessage());
      }
    }
    if (caFile != null && !Files.isRegularFile(env.workingDir().resolve(caFile))) {
      return usage(env, command, "--ca-file " + caFile + ": no such file");
    }
    try {
      Credentials credentials = Credentials.load(login, Credentials.dockerConfigFile(env.variables()));
      RegistryClient.Options defaults = RegistryClient.Options.defaults();
      RegistryClient.Options options = new RegistryClient.Options(new LinkedHashSet<>(insecure),
          Optional.ofNullable(caFile).map(env.workingDir()::resolve), defaults.attempts(), defaults.firstPause());
      return Optional.of(new Registry(wanted.get(), options, credentials, new RegistryClient(options, credentials)));
    } catch (ImageError e) {
      return usage(env, command, e.getMessage());
    }
  }

  private static Optional<Registry> usage(Env env, String command, String message) {
    env.err().println(command + ": " + message);
    return Optional.empty();
  }
}

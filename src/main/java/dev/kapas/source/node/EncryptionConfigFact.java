package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import java.util.List;

/**
 * The EncryptionConfiguration the API server's {@code --encryption-provider-config} points at, as
 * far as Secrets go.
 *
 * @param file as read
 * @param name the file as the node knows it, without the leading slash
 * @param coversSecrets some resources entry names {@code secrets} (or a wildcard that includes them)
 * @param providers the providers of the first entry that covers secrets, in order (the first one
 *     encrypts writes)
 * @param at the entry's line, or the file's first line when no entry covers secrets
 */
public record EncryptionConfigFact(String file, String name, boolean coversSecrets, List<Provider> providers, Location at)
    implements Fact {

  public EncryptionConfigFact {
    providers = List.copyOf(providers);
  }

  /** One provider: {@code identity}, {@code aescbc}, {@code aesgcm}, {@code secretbox}, {@code kms}; kms with its API version. */
  public record Provider(String type, String kmsVersion, Location at) {
    public String display() {
      return type.equals("kms") ? "kms " + kmsVersion : type;
    }
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("apiserver.config.k8s.io/v1", "EncryptionConfiguration", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(file, 1, at.line(), at.column());
  }
}

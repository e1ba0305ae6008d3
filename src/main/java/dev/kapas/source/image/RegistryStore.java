package dev.kapas.source.image;

import java.io.InputStream;

/** An image in a registry, by tag or digest. */
final class RegistryStore implements ImageStore {
  private final RegistryClient client;
  private final ImageRef ref;

  RegistryStore(RegistryClient client, ImageRef ref) {
    this.client = client;
    this.ref = ref;
  }

  @Override
  public Manifest root() throws ImageError {
    RegistryClient.Fetched f = client.manifest(ref, ref.reference());
    String served = "sha256:" + java.util.HexFormat.of().formatHex(LocalStore.sha256(f.bytes()));
    if (ref.digest().isEmpty() && !f.digest().isEmpty() && !f.digest().equals(served)) {
      throw new ImageError("manifest " + ref.reference() + ": the registry says its digest is " + f.digest()
          + ", the bytes served hash to " + served);
    }
    return new Manifest(f.bytes(), f.mediaType(), ref.digest().isEmpty() ? served : ref.digest());
  }

  @Override
  public byte[] manifest(Descriptor d, int limit) throws ImageError {
    return client.manifest(ref, d.digest()).bytes();
  }

  @Override
  public InputStream blob(Descriptor d) throws ImageError {
    return client.blob(ref, d.digest());
  }
}

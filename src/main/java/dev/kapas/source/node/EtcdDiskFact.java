package dev.kapas.source.node;

import dev.kapas.model.Fact;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;

/**
 * The block device under etcd's data directory.
 *
 * @param dataDir etcd's data directory, as etcd sees it
 * @param mountPoint the mount that holds it
 * @param device the mounted device ({@code /dev/mapper/cryptroot}, {@code /dev/sda1})
 * @param encrypted the device is dm-crypt (its device-mapper UUID starts with {@code CRYPT-}), or sits on one
 * @param evidence what decided it, for the message
 * @param at the line of {@code proc/mounts} that names the mount
 */
public record EtcdDiskFact(String dataDir, String mountPoint, String device, boolean encrypted, String evidence,
    Location at) implements Fact {

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "EtcdDisk", "", dataDir.replaceFirst("^/+", ""));
  }

  @Override
  public Origin origin() {
    return new Origin(at.file(), 0, at.line(), 0);
  }
}

package dev.shunt.hazelcast.internal;

import dev.shunt.InstanceKey;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The key of both maps: an {@link InstanceKey} in a type that travels only as Compact (see
 * {@link CompactOnly} for why it is not the {@code InstanceKey} itself). Immutable.
 *
 * @param service the instance's service, queried as {@code __key.service}
 * @param host the instance's host
 */
public record MapKey(String service, String host) implements Serializable {

  /** The map key of {@code key}. */
  public static MapKey of(InstanceKey key) {
    return new MapKey(key.service(), key.host());
  }

  /** The instance this key stands for. */
  public InstanceKey instanceKey() {
    return InstanceKey.of(service, host);
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}

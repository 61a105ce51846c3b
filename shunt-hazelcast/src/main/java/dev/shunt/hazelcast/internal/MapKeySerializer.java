package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * {@link MapKey} as the Compact type {@value #TYPE_NAME}: the key of both maps. Fields:
 * {@code service}, {@code host}; {@code shuntedInstances(service)} queries {@code __key.service}, so the
 * field names are part of the stored format as much as the type name.
 */
public final class MapKeySerializer implements CompactSerializer<MapKey> {
  static final String TYPE_NAME = "shunt.InstanceKey";

  @Override
  public MapKey read(CompactReader reader) {
    return new MapKey(reader.readString("service"), reader.readString("host"));
  }

  @Override
  public void write(CompactWriter writer, MapKey key) {
    writer.writeString("service", key.service());
    writer.writeString("host", key.host());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<MapKey> getCompactClass() {
    return MapKey.class;
  }
}

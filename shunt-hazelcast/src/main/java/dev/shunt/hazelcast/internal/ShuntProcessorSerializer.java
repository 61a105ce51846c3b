package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.ShuntStatus;

/** {@link ShuntProcessor} as the Compact type {@value #TYPE_NAME}; one field, {@code requested}. */
public final class ShuntProcessorSerializer implements CompactSerializer<ShuntProcessor> {
  static final String TYPE_NAME = "shunt.ShuntProcessor";

  @Override
  public ShuntProcessor read(CompactReader reader) {
    return new ShuntProcessor(reader.<ShuntStatus>readCompact("requested"));
  }

  @Override
  public void write(CompactWriter writer, ShuntProcessor processor) {
    writer.writeCompact("requested", processor.requested());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<ShuntProcessor> getCompactClass() {
    return ShuntProcessor.class;
  }
}

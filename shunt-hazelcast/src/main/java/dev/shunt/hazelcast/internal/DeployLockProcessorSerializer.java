package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * {@link DeployLockProcessor} as the Compact type {@value #TYPE_NAME}. Fields: {@code action}
 * (the {@link DeployLockProcessor.Action} name), {@code owner}, {@code reason} (strings),
 * {@code token} (int64), {@code now}, {@code expiresAt} (timestamps with time zone, UTC).
 */
public final class DeployLockProcessorSerializer implements CompactSerializer<DeployLockProcessor> {
  static final String TYPE_NAME = "shunt.DeployLockProcessor";

  @Override
  public DeployLockProcessor read(CompactReader reader) {
    return new DeployLockProcessor(DeployLockProcessor.Action.valueOf(reader.readString("action")),
        reader.readString("owner"), reader.readString("reason"), reader.readInt64("token"),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("now")),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("expiresAt")));
  }

  @Override
  public void write(CompactWriter writer, DeployLockProcessor processor) {
    writer.writeString("action", processor.action().name());
    writer.writeString("owner", processor.owner());
    writer.writeString("reason", processor.reason());
    writer.writeInt64("token", processor.token());
    writer.writeTimestampWithTimezone("now", CompactTimes.toTimestamp(processor.now()));
    writer.writeTimestampWithTimezone("expiresAt", CompactTimes.toTimestamp(processor.expiresAt()));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<DeployLockProcessor> getCompactClass() {
    return DeployLockProcessor.class;
  }
}

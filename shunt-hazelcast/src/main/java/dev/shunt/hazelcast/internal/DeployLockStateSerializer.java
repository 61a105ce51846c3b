package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * {@link DeployLockState} as the Compact type {@value #TYPE_NAME}: the value of the lock map.
 * Fields: {@code lastToken} (int64), {@code owner}, {@code reason} (strings, null when free),
 * {@code expiresAt} (timestamp with time zone, UTC, null when free). The type name and field
 * names are the stored format: rename neither.
 */
public final class DeployLockStateSerializer implements CompactSerializer<DeployLockState> {
  static final String TYPE_NAME = "shunt.DeployLockState";

  @Override
  public DeployLockState read(CompactReader reader) {
    return new DeployLockState(reader.readInt64("lastToken"), reader.readString("owner"),
        reader.readString("reason"), CompactTimes.toInstant(reader.readTimestampWithTimezone("expiresAt")));
  }

  @Override
  public void write(CompactWriter writer, DeployLockState state) {
    writer.writeInt64("lastToken", state.lastToken());
    writer.writeString("owner", state.owner());
    writer.writeString("reason", state.reason());
    writer.writeTimestampWithTimezone("expiresAt", CompactTimes.toTimestamp(state.expiresAt()));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<DeployLockState> getCompactClass() {
    return DeployLockState.class;
  }
}

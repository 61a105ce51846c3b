package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.ShuntStatus;
import java.util.Objects;

/**
 * {@link ShuntStatus} as the Compact type {@value #TYPE_NAME}: the value of the status map.
 * Fields: {@code shunted}, {@code reason}, {@code owner}, {@code since}, {@code expiresAt}
 * (timestamps with time zone, UTC; {@code expiresAt} is null for a shunt without expiry).
 *
 * <p>The type name and field names are the stored format: rename neither. A later version adds
 * fields and reads them only when {@link CompactReader#getFieldKind} says the value has them.
 */
public final class ShuntStatusSerializer implements CompactSerializer<ShuntStatus> {
  static final String TYPE_NAME = "shunt.ShuntStatus";

  @Override
  public ShuntStatus read(CompactReader reader) {
    return new ShuntStatus(
        reader.readBoolean("shunted"),
        Objects.requireNonNullElse(reader.readString("reason"), ""),
        Objects.requireNonNullElse(reader.readString("owner"), ""),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("since")),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("expiresAt")));
  }

  @Override
  public void write(CompactWriter writer, ShuntStatus status) {
    writer.writeBoolean("shunted", status.shunted());
    writer.writeString("reason", status.reason());
    writer.writeString("owner", status.owner());
    writer.writeTimestampWithTimezone("since", CompactTimes.toTimestamp(status.since()));
    writer.writeTimestampWithTimezone("expiresAt", CompactTimes.toTimestamp(status.expiresAt()));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<ShuntStatus> getCompactClass() {
    return ShuntStatus.class;
  }
}

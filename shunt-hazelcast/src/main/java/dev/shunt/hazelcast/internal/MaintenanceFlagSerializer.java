package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.MaintenanceFlag;
import dev.shunt.internal.MaintenanceFlagRules;
import dev.shunt.internal.ProblemLog;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@link MaintenanceFlag} as the Compact type {@value #TYPE_NAME}: the value of the maintenance
 * map. Fields: {@code reason}, {@code owner} (strings), {@code since}, {@code until} (timestamps
 * with time zone, UTC; {@code until} is null for no end), {@code allowedPaths},
 * {@code allowedClients} (arrays of strings).
 *
 * <p>The type name and field names are the stored format: rename neither. Reading is lenient,
 * since any client of the cluster may write this type: a missing or mistyped field, an allowed
 * path that is no regular expression or an allowed client that is no address is left out and
 * logged (once per distinct problem), never thrown; a flag without {@code since} is dated
 * {@link Instant#EPOCH}.
 */
public final class MaintenanceFlagSerializer implements CompactSerializer<MaintenanceFlag> {
  static final String TYPE_NAME = "shunt.MaintenanceFlag";
  private static final System.Logger LOG = System.getLogger(MaintenanceFlagSerializer.class.getName());

  private final ProblemLog problems = new ProblemLog(LOG);

  @Override
  public MaintenanceFlag read(CompactReader reader) {
    Instant since = timestamp(reader, "since");
    if (since == null) {
      problem("it has no since, dating it " + Instant.EPOCH);
      since = Instant.EPOCH;
    }
    return MaintenanceFlagRules.lenient(string(reader, "reason"), string(reader, "owner"), since,
        timestamp(reader, "until"), strings(reader, "allowedPaths"), strings(reader, "allowedClients"),
        this::problem);
  }

  @Override
  public void write(CompactWriter writer, MaintenanceFlag flag) {
    writer.writeString("reason", flag.reason());
    writer.writeString("owner", flag.owner());
    writer.writeTimestampWithTimezone("since", CompactTimes.toTimestamp(flag.since()));
    writer.writeTimestampWithTimezone("until", CompactTimes.toTimestamp(flag.until()));
    writer.writeArrayOfString("allowedPaths", flag.allowedPaths().toArray(String[]::new));
    writer.writeArrayOfString("allowedClients", flag.allowedClients().toArray(String[]::new));
  }

  private String string(CompactReader reader, String field) {
    return has(reader, field, FieldKind.STRING) ? reader.readString(field) : null;
  }

  private Instant timestamp(CompactReader reader, String field) {
    return has(reader, field, FieldKind.TIMESTAMP_WITH_TIMEZONE)
        ? CompactTimes.toInstant(reader.readTimestampWithTimezone(field))
        : null;
  }

  private List<String> strings(CompactReader reader, String field) {
    String[] values = has(reader, field, FieldKind.ARRAY_OF_STRING) ? reader.readArrayOfString(field) : null;
    return values == null ? List.of() : Arrays.asList(values);
  }

  /** Whether the value has {@code field} of {@code kind}; one of another kind is reported. */
  private boolean has(CompactReader reader, String field, FieldKind kind) {
    FieldKind actual = reader.getFieldKind(field);
    if (actual == kind) {
      return true;
    }
    if (actual != FieldKind.NOT_AVAILABLE) {
      problem("its field '" + field + "' is " + actual + " instead of " + kind + ", ignoring it");
    }
    return false;
  }

  private void problem(String problem) {
    problems.warn("a maintenance flag read from Hazelcast is malformed: " + problem);
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<MaintenanceFlag> getCompactClass() {
    return MaintenanceFlag.class;
  }
}

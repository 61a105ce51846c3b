package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.DisruptionBudget;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link ServiceLedger} as the Compact type {@value #TYPE_NAME}, the value of the services map.
 * Fields: {@code budget} (string, its text form such as {@code 2} or {@code 25%}; null when none),
 * {@code hosts} (array of strings), {@code outHosts} (array of strings) and {@code outUntil}
 * (array of timestamps with time zone, UTC, null for no end), the two arrays side by side. The type
 * name and field names are the stored format: rename neither.
 */
public final class ServiceLedgerSerializer implements CompactSerializer<ServiceLedger> {
  static final String TYPE_NAME = "shunt.ServiceLedger";

  @Override
  public ServiceLedger read(CompactReader reader) {
    String budget = reader.readString("budget");
    String[] hosts = reader.readArrayOfString("hosts");
    String[] outHosts = reader.readArrayOfString("outHosts");
    OffsetDateTime[] outUntil = reader.readArrayOfTimestampWithTimezone("outUntil");
    Map<String, Instant> out = new LinkedHashMap<>();
    for (int i = 0; i < outHosts.length; i++) {
      out.put(outHosts[i], CompactTimes.toInstant(outUntil[i]));
    }
    return new ServiceLedger(budget == null ? null : DisruptionBudget.parse(budget), Set.of(hosts), out);
  }

  @Override
  public void write(CompactWriter writer, ServiceLedger ledger) {
    writer.writeString("budget", ledger.budgetOrNull() == null ? null : ledger.budgetOrNull().toString());
    writer.writeArrayOfString("hosts", ledger.hosts().toArray(String[]::new));
    String[] outHosts = new String[ledger.out().size()];
    OffsetDateTime[] outUntil = new OffsetDateTime[outHosts.length];
    int i = 0;
    for (Map.Entry<String, Instant> out : ledger.out().entrySet()) {
      outHosts[i] = out.getKey();
      outUntil[i++] = CompactTimes.toTimestamp(out.getValue());
    }
    writer.writeArrayOfString("outHosts", outHosts);
    writer.writeArrayOfTimestampWithTimezone("outUntil", outUntil);
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<ServiceLedger> getCompactClass() {
    return ServiceLedger.class;
  }
}

package dev.shunt.hazelcast.internal;

import com.hazelcast.config.CompactSerializationConfig;
import java.util.List;

/**
 * Every type the store sends to Hazelcast, with its Compact serializer: keys, values, entry
 * processors and the cluster-safety probe. Members need them to run the processors; clients to read the values.
 */
public final class StoreSerializers {
  private StoreSerializers() {}

  /**
   * Registers every serializer in {@code config}. Hazelcast refuses a second registration of a
   * type ({@code InvalidConfigurationException}), so this is done once per configuration.
   */
  public static void registerIn(CompactSerializationConfig config) {
    List.of(new MapKeySerializer(), new ShuntStatusSerializer(), new CheckerReportSerializer(),
            new CheckerReportsSerializer(), new ShuntProcessorSerializer(),
            new ReportProcessorSerializer(), new RemoveReportProcessorSerializer(), new MaintenanceFlagSerializer(), new DeployLockStateSerializer(),
            new DeployLockProcessorSerializer(), new ServiceLedgerSerializer(), new LedgerProcessorSerializer(),
            new JournalEntrySerializer(), new SafetyProbeSerializer(), new SafetySnapshotSerializer())
        .forEach(config::addSerializer);
  }
}

package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.internal.CheckerReportRules;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the store keeps in the cluster is Compact records with named fields, readable without
 * this library; a member or client set up without it is told so instead of misreading.
 */
class CompactFormatTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  @Test
  void statusIsACompactRecordWithNamedFields() {
    ShuntStatus shunted = HazelcastStatusStore.builder(CLUSTER.member(0)).build()
        .shunt(WEB_1, ShuntRequest.of("deploy", "rollout-42").withTtl(Duration.ofMinutes(10)));
    HazelcastInstance withoutShuntClasses = CLUSTER.newUnconfiguredClient();

    Map.Entry<Object, Object> stored = withoutShuntClasses.getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP)
        .entrySet().iterator().next();

    GenericRecord key = (GenericRecord) stored.getKey();
    GenericRecord value = (GenericRecord) stored.getValue();
    assertThat(key.getString("service")).isEqualTo("checkout");
    assertThat(key.getString("host")).isEqualTo("web-1");
    assertThat(value.getBoolean("shunted")).isTrue();
    assertThat(value.getString("reason")).isEqualTo("deploy");
    assertThat(value.getString("owner")).isEqualTo("rollout-42");
    assertThat(value.getTimestampWithTimezone("since")).isEqualTo(shunted.since().atOffset(ZoneOffset.UTC));
    assertThat(value.getTimestampWithTimezone("expiresAt"))
        .isEqualTo(shunted.expiresAt().atOffset(ZoneOffset.UTC));
  }

  @Test
  void checkerReportWrittenBeforeAppliesAtOnceWasAddedReadsAsAnHttpCheck() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    GenericRecord before = GenericRecordBuilder.compact("shunt.CheckerReport")
        .setString("checker", "10.0.0.1")
        .setBoolean("nacked", true)
        .setInt32("consecutive", 2)
        .setTimestampWithTimezone("at", at.atOffset(ZoneOffset.UTC))
        .setInt32("inFlight", 0)
        .build();

    // The key through the store's own serializer: a generic record would order its fields otherwise.
    CLUSTER.member(0).getMap(HazelcastStatusStore.DEFAULT_CHECKS_MAP).put(MapKey.of(WEB_1),
        GenericRecordBuilder.compact("shunt.CheckerReports")
            .setArrayOfGenericRecord("reports", new GenericRecord[] {before}).build());

    assertThat(store.reports(WEB_1)).containsExactly(new CheckerReport("10.0.0.1", true, 2, at, 0, false));
  }

  @Test
  void checkerReportKeepsTheStoreProblemTheResponderMetAsANamedField() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    InstanceKey web2 = InstanceKey.of("checkout", "web-2");
    CheckerReport unreadable = new CheckerReport("10.0.0.1", false, 11, Instant.parse("2026-11-23T10:00:00Z"),
        CheckerReportRules.IN_FLIGHT_UNKNOWN, false, "cannot reach the cluster");
    store.report(web2, unreadable);
    HazelcastInstance withoutShuntClasses = CLUSTER.newUnconfiguredClient();

    GenericRecord stored = (GenericRecord) withoutShuntClasses.getMap(HazelcastStatusStore.DEFAULT_CHECKS_MAP)
        .entrySet().stream().filter(entry -> ((GenericRecord) entry.getKey()).getString("host").equals("web-2"))
        .findFirst().orElseThrow().getValue();

    assertThat(store.reports(web2)).containsExactly(unreadable);
    assertThat(stored.getArrayOfGenericRecord("reports")[0].getString("storeProblem"))
        .isEqualTo("cannot reach the cluster");
  }

  @Test
  void storeOnAClientWithoutConfigureFailsAtOnceSayingWhatIsMissing() {
    HazelcastInstance unconfigured = CLUSTER.newUnconfiguredClient();

    assertThatThrownBy(() -> HazelcastStatusStore.builder(unconfigured).build())
        .isInstanceOf(ShuntException.class)
        .hasMessageContaining("read the map shunt.status")
        .hasMessageContaining("HazelcastStatusStore.configure");
  }
}

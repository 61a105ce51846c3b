package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store keeps the latest report of each checker, about the current shunt only. */
class CheckerReportsTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private HazelcastStatusStore onMemberA;
  private HazelcastStatusStore onMemberB;

  @BeforeEach
  void createStores() {
    onMemberA = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    onMemberB = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
  }

  @Test
  void keyWithoutReportsHasNone() {
    assertThat(onMemberB.reports(WEB_1)).isEmpty();
  }

  @Test
  void reportsKeepTheLatestOfEachChecker() {
    onMemberA.report(WEB_1, nack("lb-1", 1, T0));
    onMemberA.report(WEB_1, nack("lb-2", 1, T0));
    onMemberA.report(WEB_1, nack("lb-1", 2, T0.plusSeconds(2)));

    assertThat(onMemberB.reports(WEB_1)).containsExactlyInAnyOrder(
        nack("lb-1", 2, T0.plusSeconds(2)), nack("lb-2", 1, T0));
  }

  @Test
  void removeReportOnEitherMemberRemovesThatCheckersOnly() {
    onMemberA.report(WEB_1, nack("lb-1", 1, T0));
    onMemberA.report(WEB_1, nack("lb-2", 1, T0));
    onMemberA.report(WEB_1, nack("lb-3", 1, T0));

    // Of two members, at least one does not own the key: its removal crosses the wire.
    onMemberA.removeReport(WEB_1, "lb-1");
    onMemberB.removeReport(WEB_1, "lb-2");

    assertThat(onMemberB.reports(WEB_1)).containsExactly(nack("lb-3", 1, T0));
  }

  @Test
  void concurrentReportsOfManyCheckersAreAllKept() throws InterruptedException {
    HazelcastStatusStore[] stores = {onMemberA, onMemberB};
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Void>> reports = IntStream.range(0, 16).<Callable<Void>>mapToObj(i -> () -> {
        stores[i % 2].report(WEB_1, nack("lb-" + i, 1, T0));
        return null;
      }).toList();

      threads.invokeAll(reports);
    } finally {
      threads.shutdownNow();
    }

    assertThat(onMemberA.reports(WEB_1)).extracting(CheckerReport::checker).hasSize(16).doesNotHaveDuplicates();
  }

  @Test
  void newShuntClearsTheReports() {
    onMemberA.report(WEB_1, ack("lb-1", 5, T0));

    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(onMemberB.reports(WEB_1)).isEmpty();
  }

  @Test
  void renewalKeepsTheReports() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));
    onMemberA.report(WEB_1, nack("lb-1", 2, T0));

    onMemberB.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));

    assertThat(onMemberA.reports(WEB_1)).containsExactly(nack("lb-1", 2, T0));
  }

  @Test
  void unshuntClearsTheReports() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    onMemberA.report(WEB_1, nack("lb-1", 3, T0));

    onMemberB.unshunt(WEB_1);

    assertThat(onMemberA.reports(WEB_1)).isEmpty();
  }

  @Test
  void unshuntOfAKeyInRotationKeepsItsReports() {
    onMemberA.report(WEB_1, ack("lb-1", 4, T0));

    onMemberB.unshunt(WEB_1);

    assertThat(onMemberA.reports(WEB_1)).containsExactly(ack("lb-1", 4, T0));
  }

  private static CheckerReport nack(String checker, int consecutive, Instant at) {
    return new CheckerReport(checker, true, consecutive, at);
  }

  private static CheckerReport ack(String checker, int consecutive, Instant at) {
    return new CheckerReport(checker, false, consecutive, at);
  }
}

package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rolling-restart proofs behind Caddy, Varnish and nginx share with the one behind HAProxy
 * ({@link RollingRestartBehindHaproxyTest}): the client traffic, and what a rollout without loss
 * must leave behind.
 */
final class Rigs {
  /** Client traffic through the load balancer: as behind HAProxy, well above the 200 requests/s the proof asks. */
  static final int REQUESTS_PER_SECOND = 250;
  /** The load stops by itself after this, should a test fail before it stops it. */
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(2);

  private Rigs() {}

  /** Starts client traffic to {@code url}; returns once 100 requests went through, none failed. */
  static LoadGenerator load(URI url) throws InterruptedException {
    LoadGenerator load = LoadGenerator.start(url, REQUESTS_PER_SECOND, LOAD_LIMIT);
    RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
    return load;
  }

  /**
   * As {@link #load}, but a request whose kept-alive connection the load balancer closed before any
   * answer is sent again, as browsers do: for nginx, whose reload closes the old workers' idle
   * client connections (see {@link LoadGenerator#startRetryingUnanswered}).
   */
  static LoadGenerator loadRetryingUnanswered(URI url) throws InterruptedException {
    LoadGenerator load = LoadGenerator.startRetryingUnanswered(url, REQUESTS_PER_SECOND, LOAD_LIMIT);
    RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
    return load;
  }

  /**
   * Asserts that the rollout restarted every backend of {@code fleet} (new processes, the old ones
   * gone, every host unshunted) and that no client request failed at 200 requests/s or more.
   */
  static void assertRolledWithoutLoss(DemoFleet fleet, Map<String, Long> pidsBefore, RolloutReport report,
      LoadGenerator.Result traffic) {
    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(fleet.hosts());
    assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    assertThat(traffic.rate()).as("client requests per second").isGreaterThanOrEqualTo(200);
    for (String host : fleet.hosts()) {
      long before = pidsBefore.get(host);
      assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(before);
      assertThat(DemoFleet.isRunning(before)).as("%s's old process %d is running", host, before).isFalse();
      assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is unshunted", host).isFalse();
    }
  }

  /**
   * Waits until requests to {@code url} have been answered by each of {@code hosts} (the demo
   * backend says who it is): every backend is in the load balancer's rotation. Fails after
   * {@code timeout} naming the ones not seen.
   */
  static void awaitEveryBackendServes(URI url, List<String> hosts, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
    Set<String> unseen = new HashSet<>(hosts);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!unseen.isEmpty() && System.nanoTime() < deadline) {
      String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
      unseen.removeIf(host -> body.startsWith("hello from " + host + ","));
    }
    assertThat(unseen).as("backends that answered no request through %s within %s", url, timeout).isEmpty();
  }

  /**
   * Restarts every backend of {@code fleet} in turn without shunt or drain, as a plain deploy
   * script would, each once the one before serves again; returns the client traffic seen
   * meanwhile. Every host, not one: behind a load balancer that checks often, one restart may by
   * chance fall just before a check and lose no request.
   */
  static LoadGenerator.Result restartEachUnannounced(DemoFleet fleet, LoadGenerator load) throws IOException {
    for (String host : fleet.hosts()) {
      long before = fleet.pid(host);
      fleet.control("restart", host);
      fleet.awaitServing(host, Duration.ofSeconds(30));
      assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(before);
    }
    return load.stop();
  }
}

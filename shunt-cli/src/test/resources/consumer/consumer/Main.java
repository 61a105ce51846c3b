package consumer;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.StatusStores;
import dev.shunt.Step;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import dev.shunt.workflow.gate.MetricsGate;
import dev.shunt.workflow.lb.LoadBalancerStep;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rolls two hosts with shunt's public API: shunt, a step that fails once and is retried
 * (resilience4j), a readiness wait over HTTP (OkHttp) against a server on 127.0.0.1, unshunt. Then
 * shunts a third host through the store with a time to live, lists the shunted instances, and
 * names the store schemes it can open. Prints one line per fact; exits 0 if the rollout succeeded.
 */
public final class Main {
  public static void main(String[] args) throws Exception {
    // The load-balancer and gate packages are API too: this compiles only while the module exports them.
    System.out.println("load-balancer steps: " + LoadBalancerStep.class.getSimpleName() + ", gates: "
        + MetricsGate.class.getSimpleName());
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    app.start();
    try {
      AtomicInteger attempts = new AtomicInteger();
      Step flaky = Step.named("flaky", context -> {
        if (attempts.incrementAndGet() == 1) {
          throw new ConnectException("the first attempt fails");
        }
      });
      StatusStore store = StatusStore.inMemory();
      Rollout rollout = Rollout.builder()
          .service("checkout")
          .hosts(List.of("web-1", "web-2"))
          .store(store)
          .listener(RolloutListener.console(System.out))
          .step(ShuntStep.shunt(ShuntRequest.of("module path", "consumer")))
          .step(flaky, StepOptions.none().withRetry(
              RetryPolicy.builder().maxAttempts(2).initialWait(Duration.ofMillis(10)).build()))
          .step(AwaitHttpStep.builder().url("http://127.0.0.1:" + app.getAddress().getPort() + "/").build())
          .step(ShuntStep.unshunt())
          .build();
      RolloutReport report = rollout.run();
      System.out.println("rollout: " + report.outcome() + ", flaky attempts: " + attempts.get());
      ShuntStatus held = store.shunt(InstanceKey.of("checkout", "web-3"),
          ShuntRequest.of("module path", "consumer").withTtl(Duration.ofMinutes(5)));
      System.out.println("shunted after the rollout: " + store.shuntedInstances("checkout").keySet()
          + ", by " + held.owner() + ", lapses: " + held.expiry().isPresent());
      try {
        StatusStores.open("nope:x");
      } catch (IllegalArgumentException e) {
        System.out.println("stores: " + e.getMessage());
      }
      System.exit(report.succeeded() ? 0 : 1);
    } finally {
      app.stop(0);
    }
  }
}
